package io.rill.cli.command;

import io.rill.client.Quorum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code rill cluster describe} shows, computed from what the brokers answered and nothing
 * else (no I/O, so it is tested without a cluster): the broker rows with the partitions each
 * leads, and the quorum rows with each replica's lag and last contact.
 *
 * <p>Metadata and DescribeCluster list only unfenced brokers (as Kafka's do), so a broker that
 * died or was fenced is known only as a replica of some partition: it gets a row with status
 * {@link #FENCED_OR_OFFLINE} and no address.
 */
final class ClusterView {
  static final String ONLINE = "online";
  static final String FENCED_OR_OFFLINE = "fenced/offline";
  static final List<String> BROKER_KEYS = List.of("id", "host", "port", "rack", "controller",
      "status", "partitionsLed");
  static final List<String> QUORUM_KEYS = List.of("id", "role", "logEndOffset", "lag",
      "lastContactMsAgo");

  /** A broker as Metadata or DescribeCluster lists it. */
  record Broker(int id, String host, int port, String rack) {}

  /** A partition's leader (-1 for none) and replicas, from Metadata. */
  record Partition(int leader, List<Integer> replicas) {}

  private ClusterView() {}

  /** One row per listed broker, then one per broker that is only a replica; by id. */
  static List<Map<String, Object>> brokers(List<Broker> listed, int controllerId,
      List<Partition> partitions) {
    Map<Integer, Integer> led = new HashMap<>();
    TreeSet<Integer> replicas = new TreeSet<>();
    for (Partition p : partitions) {
      if (p.leader() >= 0) {
        led.merge(p.leader(), 1, Integer::sum);
      }
      replicas.addAll(p.replicas());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Broker b : listed) {
      replicas.remove(b.id());
      rows.add(row(b.id(), b.host(), b.port(), b.rack(), b.id() == controllerId, ONLINE,
          led.getOrDefault(b.id(), 0)));
    }
    for (int id : replicas) {
      rows.add(row(id, null, null, null, id == controllerId, FENCED_OR_OFFLINE,
          led.getOrDefault(id, 0)));
    }
    rows.sort(Comparator.comparingInt(r -> (Integer) r.get("id")));
    return rows;
  }

  private static Map<String, Object> row(int id, String host, Integer port, String rack,
      boolean controller, String status, int partitionsLed) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("id", id);
    n.put("host", host);
    n.put("port", port);
    n.put("rack", rack);
    n.put("controller", controller);
    n.put("status", status);
    n.put("partitionsLed", partitionsLed);
    return n;
  }

  /**
   * The quorum as one document: leader, epoch, high watermark, then voters and observers with
   * their lag behind the leader's log end (the high watermark if the leader's is unknown), as
   * Kafka's {@code kafka-metadata-quorum describe --replication} counts it, and the time since
   * the leader last heard from them. {@code nowMs} is compared with the leader's clock.
   */
  static Map<String, Object> quorum(Quorum q, long nowMs) {
    long reference = q.highWatermark();
    for (Quorum.Replica v : q.voters()) {
      if (v.id() == q.leaderId() && v.logEndOffset() >= 0) {
        reference = v.logEndOffset();
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("available", true);
    doc.put("leaderId", q.leaderId());
    doc.put("leaderEpoch", q.leaderEpoch());
    doc.put("highWatermark", q.highWatermark());
    List<Map<String, Object>> voters = new ArrayList<>();
    for (Quorum.Replica v : q.voters()) {
      voters.add(replica(v, v.id() == q.leaderId() ? "leader" : "follower", reference, nowMs));
    }
    List<Map<String, Object>> observers = new ArrayList<>();
    for (Quorum.Replica o : q.observers()) {
      observers.add(replica(o, "observer", reference, nowMs));
    }
    doc.put("voters", voters);
    doc.put("observers", observers);
    return doc;
  }

  /** The quorum document when the broker could not tell: why, for people and scripts alike. */
  static Map<String, Object> quorumUnavailable(String reason) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("available", false);
    doc.put("reason", reason);
    return doc;
  }

  private static Map<String, Object> replica(Quorum.Replica r, String role, long reference,
      long nowMs) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", r.id());
    row.put("role", role);
    row.put("logEndOffset", known(r.logEndOffset()));
    row.put("lag", r.logEndOffset() < 0 || reference < 0 ? null
        : Math.max(0, reference - r.logEndOffset()));
    row.put("lastContactMsAgo", ago(r.lastFetchTimestampMs(), nowMs));
    row.put("lastCaughtUpMsAgo", ago(r.lastCaughtUpTimestampMs(), nowMs));
    return row;
  }

  private static Long known(long value) {
    return value < 0 ? null : value;
  }

  /** Milliseconds since {@code timestampMs}, never negative (the clocks may differ a little). */
  private static Long ago(long timestampMs, long nowMs) {
    return timestampMs < 0 ? null : Math.max(0, nowMs - timestampMs);
  }
}
