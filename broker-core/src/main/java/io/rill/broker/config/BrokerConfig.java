package io.rill.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A node's parsed and validated configuration (see {@link BrokerConfigDef} for the keys).
 * Derived values — retention and roll times from their ms/minutes/hours forms, advertised
 * listeners defaulting to listeners — are resolved here once. Immutable; thread-safe.
 */
public final class BrokerConfig {
  private static final long MS_PER_MINUTE = 60_000L;
  private static final long MS_PER_HOUR = 60 * MS_PER_MINUTE;

  private final Map<String, Object> values;
  private final Map<String, String> explicit;
  private final List<String> unknownKeys;

  private BrokerConfig(ConfigDef.Parsed parsed) {
    this.values = parsed.values();
    this.explicit = parsed.explicit();
    this.unknownKeys = parsed.unknown();
    checkConsistency();
  }

  /** Parses a key/value map; throws {@link ConfigException} naming the first bad key. */
  public static BrokerConfig of(Map<String, String> text) {
    return new BrokerConfig(BrokerConfigDef.DEF.parse(text));
  }

  /**
   * What the embedded default (no file) sets differently from the keys' own defaults: it is for
   * trying things out, so a new group's first rebalance does not wait 3 s for more members — as
   * Kafka's sample server.properties does. A node file keeps Kafka's defaults.
   */
  public static final Map<String, String> EMBEDDED_SETTINGS =
      Map.of("group.initial.rebalance.delay.ms", "0");

  /** Loads a properties file (or nothing, for the embedded default) then applies overrides. */
  public static BrokerConfig load(Path file, Map<String, String> overrides) throws IOException {
    Map<String, String> text = new LinkedHashMap<>();
    if (file == null) {
      text.putAll(EMBEDDED_SETTINGS);
    } else {
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        props.load(r);
      }
      props.stringPropertyNames().forEach(k -> text.put(k, props.getProperty(k)));
    }
    text.putAll(overrides);
    return of(text);
  }

  private void checkConsistency() {
    List<Endpoint> listeners = listeners();
    if (listeners.isEmpty() && isBroker()) {
      throw new ConfigException("listeners", "", "a broker needs at least one listener");
    }
    if (isController() && voters().stream().noneMatch(v -> v.id() == nodeId())) {
      throw new ConfigException("controller.quorum.voters", values.get("controller.quorum.voters"),
          "a controller's node.id " + nodeId() + " must be one of the voters");
    }
    if (!isController() && voters().stream().anyMatch(v -> v.id() == nodeId())) {
      throw new ConfigException("process.roles", values.get("process.roles"),
          "node.id " + nodeId() + " is a voter in controller.quorum.voters, so it must have the"
              + " controller role");
    }
    if (voters().isEmpty()) {
      throw new ConfigException("controller.quorum.voters", "", "at least one voter is needed");
    }
    if (logDirs().isEmpty()) {
      throw new ConfigException("log.dirs", "", "at least one directory is needed");
    }
    if (groupMinSessionTimeoutMs() > groupMaxSessionTimeoutMs()) {
      throw new ConfigException("group.min.session.timeout.ms", groupMinSessionTimeoutMs(),
          "must not exceed group.max.session.timeout.ms");
    }
  }

  public Object get(String key) {
    return values.get(key);
  }

  public int getInt(String key) {
    return (Integer) values.get(key);
  }

  public long getLong(String key) {
    return (Long) values.get(key);
  }

  public boolean getBoolean(String key) {
    return (Boolean) values.get(key);
  }

  public String getString(String key) {
    return (String) values.get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    return (List<String>) values.get(key);
  }

  /** Keys set by the file or an override (DescribeConfigs reports them as STATIC_BROKER_CONFIG). */
  public Map<String, String> explicitValues() {
    return explicit;
  }

  /** Keys nobody defines; the node warns about each at start. */
  public List<String> unknownKeys() {
    return unknownKeys;
  }

  public int nodeId() {
    return getInt("node.id");
  }

  public boolean isBroker() {
    return getList("process.roles").contains("broker");
  }

  public boolean isController() {
    return getList("process.roles").contains("controller");
  }

  public List<Endpoint> listeners() {
    return Endpoint.parseList("listeners", getList("listeners"));
  }

  public List<Endpoint> advertisedListeners() {
    List<String> advertised = getList("advertised.listeners");
    return advertised.isEmpty() ? listeners()
        : Endpoint.parseList("advertised.listeners", advertised);
  }

  public List<QuorumVoter> voters() {
    return QuorumVoter.parseList("controller.quorum.voters", getList("controller.quorum.voters"));
  }

  public List<Path> logDirs() {
    return getList("log.dirs").stream().map(Path::of).toList();
  }

  /** log.retention.ms, else minutes, else hours; -1 keeps data forever. */
  public long logRetentionMs() {
    Object ms = values.get("log.retention.ms");
    if (ms != null) {
      return (Long) ms;
    }
    Object minutes = values.get("log.retention.minutes");
    long m = minutes != null ? (Integer) minutes : getInt("log.retention.hours") * 60L;
    return m < 0 ? -1 : m * MS_PER_MINUTE;
  }

  public long logRollMs() {
    Object ms = values.get("log.roll.ms");
    return ms != null ? (Long) ms : getInt("log.roll.hours") * MS_PER_HOUR;
  }

  public long logFlushIntervalMs() {
    Object ms = values.get("log.flush.interval.ms");
    return ms != null ? (Long) ms : Long.MAX_VALUE;
  }

  public int groupMinSessionTimeoutMs() {
    return getInt("group.min.session.timeout.ms");
  }

  public int groupMaxSessionTimeoutMs() {
    return getInt("group.max.session.timeout.ms");
  }
}
