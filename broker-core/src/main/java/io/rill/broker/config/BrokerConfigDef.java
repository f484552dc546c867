package io.rill.broker.config;

import static io.rill.broker.config.ConfigKey.Type.BOOLEAN;
import static io.rill.broker.config.ConfigKey.Type.DOUBLE;
import static io.rill.broker.config.ConfigKey.Type.INT;
import static io.rill.broker.config.ConfigKey.Type.LIST;
import static io.rill.broker.config.ConfigKey.Type.LONG;
import static io.rill.broker.config.ConfigKey.Type.STRING;
import static io.rill.broker.config.ConfigKey.atLeast;
import static io.rill.broker.config.ConfigKey.oneOf;

import java.util.List;

/**
 * Every broker configuration key Rill understands: Kafka's name, meaning and default wherever
 * the concept is the same. The six keys a node file must hold (node.id, process.roles,
 * listeners, advertised.listeners, controller.quorum.voters, log.dirs) also have defaults here:
 * together they are the embedded default node (one combined node on 127.0.0.1:9092, data in
 * ./data).
 */
public final class BrokerConfigDef {
  private BrokerConfigDef() {}

  public static final ConfigDef DEF = new ConfigDef()
      // Identity and roles
      .define("node.id", INT, 1, atLeast(0), "at least 0", "This node's id in the cluster.")
      .define("process.roles", LIST, List.of("broker", "controller"),
          v -> ((List<?>) v).stream().allMatch(r -> r.equals("broker") || r.equals("controller"))
              && !((List<?>) v).isEmpty(),
          "a non-empty list of broker, controller", "Roles this node runs.")
      .define("listeners", LIST, List.of("PLAINTEXT://127.0.0.1:9092"),
          "Client listeners, NAME://host:port.")
      .define("advertised.listeners", LIST, List.of(),
          "Listeners published in metadata; defaults to listeners.")
      .define("controller.quorum.voters", LIST, List.of("1@127.0.0.1:9093"),
          "Metadata quorum voters, id@host:port (the Raft gRPC port of each controller).")
      .define("log.dirs", LIST, List.of("./data"), "Directories that hold partition data.")
      // Network
      .define("num.network.threads", INT, 3, atLeast(1), "at least 1", "Processor threads.")
      .define("num.io.threads", INT, 8, atLeast(1), "at least 1", "Request handler threads.")
      .define("queued.max.requests", INT, 500, atLeast(1), "at least 1",
          "Requests queued for the handlers before the network threads stop reading.")
      .define("socket.request.max.bytes", INT, 104857600, atLeast(1024), "at least 1024",
          "Largest request frame accepted.")
      .define("socket.send.buffer.bytes", INT, 102400, atLeast(-1), "at least -1",
          "SO_SNDBUF (-1: OS default).")
      .define("socket.receive.buffer.bytes", INT, 102400, atLeast(-1), "at least -1",
          "SO_RCVBUF (-1: OS default).")
      .define("max.connections", INT, Integer.MAX_VALUE, atLeast(1), "at least 1",
          "Most client connections open at once.")
      .define("connections.max.idle.ms", LONG, 600000L, atLeast(1), "at least 1",
          "Idle connections are closed after this.")
      // Topics and records
      .define("num.partitions", INT, 1, atLeast(1), "at least 1", "Partitions of a new topic.")
      .define("default.replication.factor", INT, 1, atLeast(1), "at least 1",
          "Replicas of a new topic.")
      .define("min.insync.replicas", INT, 1, atLeast(1), "at least 1",
          "Replicas that must have a record before acks=all succeeds.")
      .define("auto.create.topics.enable", BOOLEAN, true, "Create topics on first use.")
      .define("delete.topic.enable", BOOLEAN, true, "Allow deleting topics.")
      .define("message.max.bytes", INT, 1048588, atLeast(0), "at least 0",
          "Largest record batch accepted.")
      .define("compression.type", STRING, "producer",
          oneOf("producer", "uncompressed", "none", "gzip", "snappy", "lz4", "zstd"),
          "one of producer, uncompressed, gzip, snappy, lz4, zstd", "Codec of stored batches.")
      .define("log.message.timestamp.type", STRING, "CreateTime",
          oneOf("CreateTime", "LogAppendTime"), "CreateTime or LogAppendTime",
          "Which timestamp a stored record carries.")
      .define("unclean.leader.election.enable", BOOLEAN, false,
          "Allow an out-of-sync replica to become leader (loses acknowledged data).")
      .define("fetch.max.bytes", INT, 57671680, atLeast(1024), "at least 1024",
          "Most bytes one fetch response carries.")
      .define("max.incremental.fetch.session.cache.slots", INT, 1000, atLeast(0), "at least 0",
          "Incremental fetch sessions (KIP-227) kept at once; 0 turns them off.")
      // Log
      .define("log.segment.bytes", INT, 1073741824, atLeast(14), "at least 14",
          "Segment size before a roll.")
      .define("log.roll.hours", INT, 168, atLeast(1), "at least 1", "Segment age before a roll.")
      .define("log.roll.ms", LONG, null, atLeast(1), "at least 1",
          "Segment age before a roll; overrides log.roll.hours.")
      .define("log.retention.hours", INT, 168, atLeast(-1), "at least -1",
          "Age after which segments are deleted.")
      .define("log.retention.minutes", INT, null, atLeast(-1), "at least -1",
          "Overrides log.retention.hours.")
      .define("log.retention.ms", LONG, null, atLeast(-1), "at least -1",
          "Overrides log.retention.minutes (-1: keep forever).")
      .define("log.retention.bytes", LONG, -1L, atLeast(-1), "at least -1",
          "Size per partition beyond which old segments are deleted (-1: no limit).")
      .define("log.retention.check.interval.ms", LONG, 300000L, atLeast(1), "at least 1",
          "How often retention runs.")
      .define("log.index.interval.bytes", INT, 4096, atLeast(0), "at least 0",
          "Bytes of log between two index entries.")
      .define("log.index.size.max.bytes", INT, 10485760, atLeast(4), "at least 4",
          "Size of a segment's offset index file.")
      .define("log.flush.interval.messages", LONG, Long.MAX_VALUE, atLeast(1), "at least 1",
          "Records between two fsyncs (default: leave it to the OS).")
      .define("log.flush.interval.ms", LONG, null, atLeast(0), "at least 0",
          "Time between two fsyncs (default: leave it to the OS).")
      .define("log.cleanup.policy", LIST, List.of("delete"),
          v -> ((List<?>) v).stream().allMatch(p -> p.equals("delete") || p.equals("compact")),
          "a list of delete, compact", "Default cleanup.policy of topics: delete old segments,"
              + " compact them to the latest record per key, or both.")
      // Log cleaner (compaction)
      .define("log.cleaner.enable", BOOLEAN, true,
          "Run the log cleaner, which compacts topics whose cleanup.policy includes compact.")
      .define("log.cleaner.threads", INT, 1, atLeast(0), "at least 0",
          "Threads that compact logs (0: none).")
      .define("log.cleaner.dedupe.buffer.size", LONG, 134217728L, atLeast(1024), "at least 1024",
          "Memory of the key-to-offset maps of all cleaner threads together (24 bytes a slot).")
      .define("log.cleaner.io.max.bytes.per.second", DOUBLE, Double.MAX_VALUE,
          v -> ((Number) v).doubleValue() > 0, "positive",
          "Bytes a second the cleaner threads may read and write together.")
      .define("log.cleaner.backoff.ms", LONG, 15000L, atLeast(0), "at least 0",
          "How long a cleaner thread sleeps when no log needs cleaning.")
      .define("log.cleaner.delete.retention.ms", LONG, 86400000L, atLeast(0), "at least 0",
          "Default delete.retention.ms: how long tombstones survive after their first cleaning.")
      .define("log.cleaner.min.cleanable.ratio", DOUBLE, 0.5,
          v -> ((Number) v).doubleValue() >= 0 && ((Number) v).doubleValue() <= 1,
          "between 0 and 1", "Default min.cleanable.dirty.ratio: the dirty share of a log that"
              + " makes it worth cleaning.")
      .define("log.cleaner.min.compaction.lag.ms", LONG, 0L, atLeast(0), "at least 0",
          "Default min.compaction.lag.ms: records younger than this stay uncompacted.")
      .define("log.cleaner.max.compaction.lag.ms", LONG, Long.MAX_VALUE, atLeast(1),
          "at least 1", "Default max.compaction.lag.ms: a log with a record older than this"
              + " uncompacted is cleaned whatever its dirty ratio.")
      // Groups and offsets
      .define("offsets.topic.num.partitions", INT, 50, atLeast(1), "at least 1",
          "Partitions of __consumer_offsets.")
      .define("offsets.commit.timeout.ms", INT, 5000, atLeast(1), "at least 1",
          "How long an offset commit waits for the in-sync replicas of its __consumer_offsets"
              + " partition before it is answered COORDINATOR_NOT_AVAILABLE.")
      .define("offsets.topic.replication.factor", INT, 3, atLeast(1), "at least 1",
          "Replicas of __consumer_offsets (capped at the brokers registered when it is created).")
      .define("offsets.retention.minutes", INT, 10080, atLeast(1), "at least 1",
          "Committed offsets of empty groups are kept this long.")
      .define("group.initial.rebalance.delay.ms", INT, 3000, atLeast(0), "at least 0",
          "Delay of a new group's first rebalance, so more members join it.")
      .define("group.min.session.timeout.ms", INT, 6000, atLeast(0), "at least 0",
          "Smallest session timeout a member may ask for.")
      .define("group.max.session.timeout.ms", INT, 1800000, atLeast(0), "at least 0",
          "Largest session timeout a member may ask for.")
      .define("producer.id.expiration.ms", INT, 86400000, atLeast(1), "at least 1",
          "Idle producer state is dropped after this.")
      .define("producer.id.expiration.check.interval.ms", LONG, 600000L, atLeast(1),
          "at least 1", "How often idle producer state is looked for.")
      // Cluster
      // Faster than Kafka's 9 s / 2 s: a dead broker's partitions move within ~2.5 s, while a
      // healthy broker on a loaded 2-core machine still gets 4 heartbeats per session.
      .define("broker.session.timeout.ms", INT, 2500, atLeast(1), "at least 1",
          "A broker that does not heartbeat for this long is fenced.")
      .define("broker.heartbeat.interval.ms", INT, 500, atLeast(1), "at least 1",
          "Time between broker heartbeats.")
      .define("controller.fence.dead.listeners.enable", BOOLEAN, true,
          "Rill only. The active controller fences at once a broker silent for a third of its"
          + " session whose client listeners all refuse connections (its process is gone),"
          + " instead of waiting for the session to end. Turn it off when the controllers cannot"
          + " reach the brokers' advertised listeners (e.g. addresses only clients resolve).")
      .define("broker.rack", STRING, "", "The rack of this broker (for rack-aware placement);"
          + " empty: none.")
      .define("replica.lag.time.max.ms", LONG, 30000L, atLeast(1), "at least 1",
          "A follower this far behind leaves the ISR.")
      .define("leader.replication.throttled.rate", LONG, Long.MAX_VALUE, atLeast(0),
          "at least 0", "Bytes/s this broker sends to out-of-sync replicas of the partitions"
          + " a topic's leader.replication.throttled.replicas lists (KIP-73).")
      .define("follower.replication.throttled.rate", LONG, Long.MAX_VALUE, atLeast(0),
          "at least 0", "Bytes/s this broker fetches as an out-of-sync replica of the partitions"
          + " a topic's follower.replication.throttled.replicas lists (KIP-73).")
      .define("replica.fetch.max.bytes", INT, 1048576, atLeast(0), "at least 0",
          "Bytes a follower fetch asks for per partition.")
      .define("replica.fetch.response.max.bytes", INT, 10485760, atLeast(0), "at least 0",
          "Bytes a follower fetch asks for in all.")
      .define("replica.fetch.wait.max.ms", INT, 500, atLeast(0), "at least 0",
          "How long the leader may hold a follower fetch that finds nothing new.")
      .define("replica.fetch.backoff.ms", INT, 200, atLeast(0), "at least 0",
          "Pause of a follower after a failed fetch (Kafka: 1000; shorter, for fast failover).")
      .define("replica.socket.timeout.ms", INT, 30000, atLeast(1), "at least 1",
          "Socket timeout of a follower's connection to its leader.")
      .define("num.replica.fetchers", INT, 1, atLeast(1), "at least 1",
          "Fetcher threads per source broker.")
      .define("auto.leader.rebalance.enable", BOOLEAN, true,
          "Whether the active controller gives partitions back to their preferred replica.")
      .define("leader.imbalance.check.interval.seconds", LONG, 300L, atLeast(1), "at least 1",
          "How often the active controller looks for partitions led by another replica than"
              + " the preferred one.");
}
