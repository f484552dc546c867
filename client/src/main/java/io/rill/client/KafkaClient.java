package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FindCoordinatorRequest;
import io.rill.protocol.message.FindCoordinatorResponse;
import io.rill.protocol.message.ListOffsetsRequest;
import io.rill.protocol.message.ListOffsetsResponse;
import io.rill.protocol.message.MetadataRequest;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The cluster as a client sees it: a bootstrap connection, one connection per broker id (opened
 * on demand from the last metadata), partition leaders and group coordinators. Retriable broker
 * errors (no leader yet, coordinator loading) are retried until the deadline; then they are
 * reported as what they are.
 *
 * <p>Connections are owned here and closed by {@link #close}. The map is guarded by {@code this};
 * a connection itself serialises its requests.
 */
public final class KafkaClient implements AutoCloseable {
  /** Pause between attempts at an unreachable broker or a retriable error. */
  static final long RETRY_BACKOFF_MS = 100;
  /**
   * How long connections that are refused, or hosts that do not resolve, are retried before the
   * client gives up on them (issue 15: rill waited the full 30 s for a broker that was not
   * running).
   */
  static final long REFUSED_RETRY_MS = 2000;

  public static final long EARLIEST = -2L;
  public static final long LATEST = -1L;

  private final ClientConfig config;
  private final Map<Integer, BrokerConnection> nodes = new HashMap<>();
  private final Map<Integer, String> addresses = new HashMap<>();
  private BrokerConnection bootstrap;

  public KafkaClient(ClientConfig config) {
    this.config = config;
  }

  public ClientConfig config() {
    return config;
  }

  /**
   * Any live broker, connecting to the bootstrap list (round robin) until the timeout. When
   * every address refuses the connection or does not resolve, that is an answer, not a delay:
   * it is retried only for {@link #REFUSED_RETRY_MS} (a node that is starting binds its port
   * within that) and then reported. A broker that accepts and does not answer gets the whole
   * timeout.
   */
  public synchronized BrokerConnection any() {
    if (bootstrap != null) {
      return bootstrap;
    }
    long start = System.currentTimeMillis();
    long deadline = start + config.timeoutMs();
    long refusedDeadline = start + Math.min(config.timeoutMs(), REFUSED_RETRY_MS);
    Map<String, IOException> lastByAddress = new HashMap<>();
    IOException last = null;
    for (int attempt = 0; ; attempt++) {
      String address = config.bootstrap().get(attempt % config.bootstrap().size());
      long now = System.currentTimeMillis();
      long left = deadline - now;
      if (left <= 0) {
        throw new ClientException.Unreachable("cannot reach " + String.join(",", config.bootstrap())
            + " within " + config.timeoutMs() + " ms" + (last == null ? "" : ": " + last), last);
      }
      if (now >= refusedDeadline && lastByAddress.size() == config.bootstrap().size()
          && lastByAddress.values().stream().allMatch(KafkaClient::refusedOrUnresolved)) {
        throw new ClientException.Unreachable("cannot reach " + String.join(",",
            config.bootstrap()) + ": " + describe(lastByAddress) + " (retried for "
            + (now - start) + " ms)", last);
      }
      try {
        bootstrap = openAddress(address, (int) left);
        return bootstrap;
      } catch (IOException e) {
        last = e;
        lastByAddress.put(address, e);
        pause(deadline);
      }
    }
  }

  /** A failure that is an answer: nobody listens there, or the name does not exist. */
  private static boolean refusedOrUnresolved(IOException e) {
    return e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
        || e instanceof java.net.NoRouteToHostException;
  }

  private static String describe(Map<String, IOException> failures) {
    List<String> parts = new ArrayList<>();
    failures.forEach((address, e) -> parts.add(address + " " + (e instanceof
        java.net.UnknownHostException ? "does not resolve" : e instanceof java.net.ConnectException
            ? "refused the connection" : "is unreachable (" + e.getMessage() + ")")));
    return String.join(", ", parts);
  }

  private BrokerConnection openAddress(String address, int timeoutMs) throws IOException {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("bootstrap server must be HOST:PORT, got " + address);
    }
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    return BrokerConnection.open(host, port, config.clientId(), Math.min(timeoutMs, config.timeoutMs()));
  }

  /** Connection to broker {@code id}; the bootstrap connection if it is that broker's address. */
  public synchronized BrokerConnection node(int id) {
    BrokerConnection c = nodes.get(id);
    if (c != null) {
      return c;
    }
    String address = addresses.get(id);
    if (address == null) {
      metadata(List.of());
      address = addresses.get(id);
      if (address == null) {
        throw new ClientException.Refused(Errors.BROKER_NOT_AVAILABLE, "no broker with id " + id);
      }
    }
    if (address.equals(any().address())) {
      c = bootstrap;
    } else {
      try {
        c = openAddress(address, config.timeoutMs());
      } catch (IOException e) {
        throw new ClientException.Unreachable("cannot reach broker " + id + " at " + address, e);
      }
    }
    nodes.put(id, c);
    return c;
  }

  /** Whether a metadata request for a missing topic asks the broker to create it. */
  public enum TopicCreation {
    /** Admin and consumer lookups: a missing topic is an answer (UNKNOWN_TOPIC_OR_PARTITION). */
    NEVER,
    /** Producers, as Kafka's: the broker creates it when auto.create.topics.enable allows. */
    IF_BROKER_ALLOWS
  }

  /** Metadata for {@code topics}, or for all topics when null; remembers broker addresses. */
  public Struct metadata(List<String> topics) {
    return metadata(topics, TopicCreation.NEVER);
  }

  /** As {@link #metadata(List)}, letting the broker create missing topics if asked to. */
  public Struct metadata(List<String> topics, TopicCreation creation) {
    Struct req = new Struct(MetadataRequest.SCHEMA);
    if (topics == null) {
      req.set(MetadataRequest.TOPICS, null);
    } else {
      for (String t : topics) {
        req.addElement(MetadataRequest.TOPICS).set(MetadataRequest.TOPIC_NAME, t);
      }
    }
    req.set(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION,
        creation == TopicCreation.IF_BROKER_ALLOWS);
    BrokerConnection c = any();
    if (topics == null && c.version(ApiKey.METADATA) == 0) {
      req.set(MetadataRequest.TOPICS, new ArrayList<>()); // v0: empty means all
    }
    Struct resp = c.send(ApiKey.METADATA, req);
    synchronized (this) {
      for (Struct b : resp.get(MetadataResponse.BROKERS)) {
        addresses.put(b.get(MetadataResponse.BROKER_NODE_ID),
            b.get(MetadataResponse.BROKER_HOST) + ":" + b.get(MetadataResponse.BROKER_PORT));
      }
    }
    return resp;
  }

  /** The partitions of one topic with their leaders, waiting out LEADER_NOT_AVAILABLE. */
  public TopicLayout layout(String topic) {
    return layout(topic, TopicCreation.NEVER);
  }

  /**
   * As {@link #layout(String)}; with {@link TopicCreation#IF_BROKER_ALLOWS} a missing topic is
   * created by the broker if its configuration allows (then LEADER_NOT_AVAILABLE is waited out
   * until the new partitions have leaders), else it is still UNKNOWN_TOPIC_OR_PARTITION.
   */
  public TopicLayout layout(String topic, TopicCreation creation) {
    return retrying(() -> {
      Struct resp = metadata(List.of(topic), creation);
      Struct t = resp.get(MetadataResponse.TOPICS).get(0);
      ClientException.check(t.get(MetadataResponse.TOPIC_ERROR_CODE), null, "topic " + topic);
      Map<Integer, Integer> leaders = new TreeMap<>();
      for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
        ClientException.check(p.get(MetadataResponse.PARTITION_ERROR_CODE), null,
            topic + "-" + p.get(MetadataResponse.PARTITION_INDEX));
        leaders.put(p.get(MetadataResponse.PARTITION_INDEX), p.get(MetadataResponse.LEADER_ID));
      }
      if (leaders.isEmpty() || leaders.containsValue(-1)) {
        throw new ClientException.Refused(Errors.LEADER_NOT_AVAILABLE, "topic " + topic);
      }
      return new TopicLayout(topic, leaders);
    });
  }

  /** Offsets of {@code partitions} at {@code timestamp} (EARLIEST, LATEST, or epoch ms). */
  public Map<Integer, Long> listOffsets(TopicLayout layout, List<Integer> partitions,
      long timestamp) {
    Map<Integer, List<Integer>> byLeader = new TreeMap<>();
    for (int p : partitions) {
      byLeader.computeIfAbsent(layout.leader(p), k -> new ArrayList<>()).add(p);
    }
    Map<Integer, Long> result = new TreeMap<>();
    for (Map.Entry<Integer, List<Integer>> e : byLeader.entrySet()) {
      Struct req = new Struct(ListOffsetsRequest.SCHEMA);
      req.set(ListOffsetsRequest.REPLICA_ID, -1);
      req.set(ListOffsetsRequest.ISOLATION_LEVEL, (byte) 0);
      Struct t = req.addElement(ListOffsetsRequest.TOPICS);
      t.set(ListOffsetsRequest.TOPIC_NAME, layout.topic());
      for (int p : e.getValue()) {
        t.addElement(ListOffsetsRequest.PARTITIONS)
            .set(ListOffsetsRequest.PARTITION_INDEX, p)
            .set(ListOffsetsRequest.TIMESTAMP, timestamp);
      }
      Struct resp = node(e.getKey()).send(ApiKey.LIST_OFFSETS, req);
      for (Struct rt : resp.get(ListOffsetsResponse.TOPICS)) {
        for (Struct rp : rt.get(ListOffsetsResponse.PARTITIONS)) {
          int p = rp.get(ListOffsetsResponse.PARTITION_INDEX);
          ClientException.check(rp.get(ListOffsetsResponse.ERROR_CODE), null, layout.topic() + "-" + p);
          result.put(p, rp.get(ListOffsetsResponse.OFFSET));
        }
      }
    }
    return result;
  }

  /** The coordinator of a consumer group, waiting out COORDINATOR_NOT_AVAILABLE and loading. */
  public BrokerConnection coordinator(String group) {
    return retrying(() -> {
      Struct req = new Struct(FindCoordinatorRequest.SCHEMA);
      req.set(FindCoordinatorRequest.KEY, group);
      req.set(FindCoordinatorRequest.KEY_TYPE, (byte) 0);
      Struct resp = any().send(ApiKey.FIND_COORDINATOR, req);
      ClientException.check(resp.get(FindCoordinatorResponse.ERROR_CODE),
          resp.get(FindCoordinatorResponse.ERROR_MESSAGE), "coordinator of group " + group);
      int id = resp.get(FindCoordinatorResponse.NODE_ID);
      synchronized (this) {
        addresses.put(id, resp.get(FindCoordinatorResponse.HOST) + ":"
            + resp.get(FindCoordinatorResponse.PORT));
      }
      return node(id);
    });
  }

  /** Runs {@code action} again while it fails with a retriable Kafka error, until the timeout. */
  public <T> T retrying(Supplier<T> action) {
    long deadline = System.currentTimeMillis() + config.timeoutMs();
    while (true) {
      try {
        return action.get();
      } catch (ClientException.Refused e) {
        // An unknown topic is retriable for producers racing a creation; here it is an answer.
        boolean retry = e.error().retriable && e.error() != Errors.UNKNOWN_TOPIC_OR_PARTITION;
        if (!retry || System.currentTimeMillis() >= deadline) {
          throw e;
        }
        pause(deadline);
      }
    }
  }

  private static void pause(long deadline) {
    long ms = Math.min(RETRY_BACKOFF_MS, Math.max(0, deadline - System.currentTimeMillis()));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException.Unreachable("interrupted", e);
    }
  }

  @Override
  public synchronized void close() {
    for (BrokerConnection c : nodes.values()) {
      if (c != bootstrap) {
        c.close();
      }
    }
    nodes.clear();
    if (bootstrap != null) {
      bootstrap.close();
      bootstrap = null;
    }
  }
}
