package io.rill.metadata.config;

import static io.rill.metadata.config.ConfigValidator.atLeast;
import static io.rill.metadata.config.ConfigValidator.between;
import static io.rill.metadata.config.ConfigValidator.betweenDouble;
import static io.rill.metadata.config.ConfigValidator.listOf;
import static io.rill.metadata.config.ConfigValidator.oneOf;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The broker configs that may change at run time (KIP-226), stored in the metadata image on
 * BROKER "" (the cluster-wide default) or BROKER "&lt;id&gt;" (one broker), and how the
 * controller validates them. Everything else a broker reads is read-only: it comes from the
 * node's file and changes only with a restart.
 *
 * <p>The table follows Kafka's "Updating Broker Configs" table, restricted to what a Rill
 * broker really applies live: the log.* defaults that are synonyms of topic configs (the
 * broker re-derives every topic's config from them when they change), the broker defaults
 * handlers read per request ({@code min.insync.replicas}) and the log cleaner's thread count,
 * dedupe buffer, I/O limit and backoff (the cleaner reconfigures itself). All of them are in
 * Kafka's "cluster-wide" mode, which also allows a per-broker value; Rill has none of Kafka's
 * per-broker-only keys (listeners, SSL stores). Keys Kafka makes dynamic but Rill reads only at
 * start (network and I/O thread counts, {@code max.connections}) are refused rather than stored
 * unread.
 * {@code compression.type} is in the table because it is a topic-config default like the
 * others, but no layer of Rill acts on it yet. {@code unclean.leader.election.enable} is read by
 * the controller itself, per topic and from the cluster-wide default (BROKER "") here.
 *
 * <p>Validators are at least as strict as the broker's own checks of a topic's log config, so a
 * value the controller accepts never fails on a broker. Each key has the broker key's type and
 * default as Kafka writes them; keys without a default (the ms forms that override hours) have
 * none. Stateless; thread-safe.
 */
public final class BrokerDynamicConfigs {
  /** One dynamic broker key. {@code defaultValue} is Kafka's, used by APPEND/SUBTRACT. */
  public record Key(String name, ConfigType type, ConfigValidator validator,
      Optional<String> defaultValue) {
    /** Why {@code value} is invalid for this key, or empty. */
    public Optional<String> validate(String value) {
      return ConfigDef.validate(name, type, validator, value);
    }
  }

  private static final Map<String, Key> KEYS = build();

  /**
   * The broker keys Rill knows that are not dynamic (they must equal the broker's key table
   * minus {@link #all}; a broker-core test checks it). Kept here because the controller, which
   * does not depend on broker-core, tells "not dynamic" from "unknown".
   */
  private static final Set<String> READ_ONLY = Set.of(
      "node.id", "process.roles", "listeners", "advertised.listeners",
      "controller.quorum.voters", "log.dirs",
      "num.network.threads", "num.io.threads", "queued.max.requests",
      "socket.request.max.bytes", "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
      "max.connections", "connections.max.idle.ms",
      "num.partitions", "default.replication.factor", "auto.create.topics.enable",
      "delete.topic.enable", "fetch.max.bytes", "max.incremental.fetch.session.cache.slots",
      "log.retention.check.interval.ms",
      "offsets.topic.num.partitions", "offsets.topic.replication.factor",
      "offsets.retention.minutes", "group.initial.rebalance.delay.ms",
      "group.min.session.timeout.ms", "group.max.session.timeout.ms",
      "producer.id.expiration.ms", "producer.id.expiration.check.interval.ms",
      "broker.session.timeout.ms", "broker.heartbeat.interval.ms", "broker.rack",
      "controller.fence.dead.listeners.enable",
      "replica.lag.time.max.ms", "replica.fetch.max.bytes", "replica.fetch.response.max.bytes",
      "replica.fetch.wait.max.ms", "replica.fetch.backoff.ms", "replica.socket.timeout.ms",
      "num.replica.fetchers", "auto.leader.rebalance.enable", "offsets.commit.timeout.ms",
      "leader.imbalance.check.interval.seconds", "log.cleaner.enable");

  private BrokerDynamicConfigs() {}

  private static Map<String, Key> build() {
    List<Key> keys = List.of(
        // Kafka 4 asks for at least 1 MiB, as the topic's segment.bytes does.
        key("log.segment.bytes", ConfigType.INT, atLeast(1_048_576), "1073741824"),
        key("log.roll.ms", ConfigType.LONG, atLeast(1), null),
        key("log.roll.hours", ConfigType.INT, atLeast(1), "168"),
        key("log.retention.ms", ConfigType.LONG, atLeast(-1), null),
        key("log.retention.minutes", ConfigType.INT, atLeast(-1), null),
        key("log.retention.hours", ConfigType.INT, atLeast(-1), "168"),
        key("log.retention.bytes", ConfigType.LONG, atLeast(-1), "-1"),
        key("log.index.interval.bytes", ConfigType.INT, atLeast(0), "4096"),
        // Kafka allows 4; a segment's time index needs room for one 12-byte entry.
        key("log.index.size.max.bytes", ConfigType.INT, atLeast(12), "10485760"),
        key("log.flush.interval.messages", ConfigType.LONG, atLeast(1),
            Long.toString(Long.MAX_VALUE)),
        key("log.flush.interval.ms", ConfigType.LONG, atLeast(0), null),
        key("log.cleanup.policy", ConfigType.LIST, listOf("compact", "delete"), "delete"),
        key("log.cleaner.delete.retention.ms", ConfigType.LONG, atLeast(0), "86400000"),
        key("log.cleaner.min.cleanable.ratio", ConfigType.DOUBLE, betweenDouble(0, 1), "0.5"),
        key("log.cleaner.min.compaction.lag.ms", ConfigType.LONG, atLeast(0), "0"),
        key("log.cleaner.max.compaction.lag.ms", ConfigType.LONG, atLeast(1),
            Long.toString(Long.MAX_VALUE)),
        // The cleaner's own settings: a new thread count or buffer restarts its threads.
        // Kafka asks for at least one thread when changed at run time (0 in the file: none).
        key("log.cleaner.threads", ConfigType.INT, between(1, 64), "1"),
        key("log.cleaner.dedupe.buffer.size", ConfigType.LONG, atLeast(1024), "134217728"),
        key("log.cleaner.io.max.bytes.per.second", ConfigType.DOUBLE,
            betweenDouble(1, Double.MAX_VALUE), Double.toString(Double.MAX_VALUE)),
        key("log.cleaner.backoff.ms", ConfigType.LONG, atLeast(0), "15000"),
        key("log.message.timestamp.type", ConfigType.STRING,
            oneOf("CreateTime", "LogAppendTime"), "CreateTime"),
        // Kafka allows 0; a log needs room for at least one byte.
        key("message.max.bytes", ConfigType.INT, atLeast(1), "1048588"),
        key("compression.type", ConfigType.STRING,
            oneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), "producer"),
        key("min.insync.replicas", ConfigType.INT, atLeast(1), "1"),
        key("unclean.leader.election.enable", ConfigType.BOOLEAN, ConfigValidator.ANY,
            "false"),
        // KIP-73 replication throttles (kafka-reassign-partitions --throttle sets them).
        key("leader.replication.throttled.rate", ConfigType.LONG, atLeast(0),
            Long.toString(Long.MAX_VALUE)),
        key("follower.replication.throttled.rate", ConfigType.LONG, atLeast(0),
            Long.toString(Long.MAX_VALUE)));
    Map<String, Key> byName = new TreeMap<>();
    for (Key k : keys) {
      byName.put(k.name(), k);
    }
    return Collections.unmodifiableMap(byName);
  }

  private static Key key(String name, ConfigType type, ConfigValidator validator,
      String defaultValue) {
    Key k = new Key(name, type, validator, Optional.ofNullable(defaultValue));
    k.defaultValue().ifPresent(d -> {
      if (k.validate(d).isPresent()) {
        throw new IllegalStateException("default of " + name + " is invalid");
      }
    });
    return k;
  }

  /** Every dynamic key, by name (sorted). */
  public static Map<String, Key> all() {
    return KEYS;
  }

  public static Optional<Key> find(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  public static boolean isDynamic(String name) {
    return KEYS.containsKey(name);
  }

  /** The broker keys Rill knows that only the node's file sets. */
  public static Set<String> readOnly() {
    return READ_ONLY;
  }

  /**
   * Why {@code name} may not be set to {@code value} dynamically, or empty when it may: an
   * unknown key, a read-only one (Kafka's "Cannot update these configs dynamically") or a value
   * that does not parse or is out of range (Kafka's "Invalid value").
   */
  public static Optional<String> validate(String name, String value) {
    Key key = KEYS.get(name);
    if (key != null) {
      return key.validate(value);
    }
    return Optional.of(notDynamic(name));
  }

  /** Why a key that is not in the table cannot be changed at run time. */
  public static String notDynamic(String name) {
    if (READ_ONLY.contains(name)) {
      return "Cannot update these configs dynamically: " + name + " (Rill reads it only at"
          + " start: set it in the node's config file and restart the node)";
    }
    return "Unknown broker config name: " + name;
  }
}
