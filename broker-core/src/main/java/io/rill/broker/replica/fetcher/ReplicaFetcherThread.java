package io.rill.broker.replica.fetcher;

import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.ReplicaManager;
import io.rill.broker.replica.ReplicaManager.FollowerPosition;
import io.rill.client.BrokerConnection;
import io.rill.metadata.image.BrokerEndpoint;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One follower fetcher, {@code rill-fetcher-<leader>-<n>}: fetches its partitions from one leader
 * with Fetch requests carrying this broker's replica id, exactly as Kafka's followers do (v12:
 * topic names, the current leader epoch, the log end as fetch offset and the epoch of the last
 * batch), and hands each answer to the replica layer: batches to append byte for byte (offsets,
 * epochs and CRCs untouched), the leader's high watermark, or the point where the logs diverged
 * (KIP-279/KIP-595, truncation by epoch, never by high watermark).
 *
 * <p>Errors: a connection failure drops the connection and retries after {@code backoffMs}; a
 * partition-level FENCED or UNKNOWN leader epoch or NOT_LEADER_OR_FOLLOWER waits out the backoff
 * (the metadata then moves the partition); OFFSET_OUT_OF_RANGE below the leader's log start
 * restarts the follower's log there.
 *
 * <p>Threads: the partition set is concurrent (the manager adds and removes from the metadata
 * loader thread); the connection and everything else belong to this thread.
 */
final class ReplicaFetcherThread extends Thread {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcherThread.class);

  private final int localId;
  private final int leaderId;
  private final ReplicaManager replicas;
  private final IntFunction<Optional<BrokerRegistration>> brokers;
  private final FetcherSettings settings;
  /** Partition -> the leader epoch it is fetched in. */
  private final Map<TopicPartition, Integer> partitions = new ConcurrentHashMap<>();
  /** Partitions held back after an error, until this time (ms). */
  private final Map<TopicPartition, Long> delayedUntil = new ConcurrentHashMap<>();
  private final Object wakeup = new Object();
  private volatile boolean running = true;
  private BrokerConnection connection;

  ReplicaFetcherThread(int localId, int leaderId, int index, ReplicaManager replicas,
      IntFunction<Optional<BrokerRegistration>> brokers, FetcherSettings settings) {
    super("rill-fetcher-" + leaderId + "-" + index);
    setDaemon(true);
    this.localId = localId;
    this.leaderId = leaderId;
    this.replicas = replicas;
    this.brokers = brokers;
    this.settings = settings;
  }

  void add(TopicPartition tp, int leaderEpoch) {
    Integer previous = partitions.put(tp, leaderEpoch);
    if (previous == null || previous != leaderEpoch) {
      delayedUntil.remove(tp);
    }
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  boolean remove(TopicPartition tp) {
    delayedUntil.remove(tp);
    return partitions.remove(tp) != null;
  }

  boolean isIdle() {
    return partitions.isEmpty();
  }

  void shutdown() {
    running = false;
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
    interrupt();
  }

  @Override
  public void run() {
    try {
      while (running) {
        Map<TopicPartition, FollowerPosition> batch = fetchable();
        if (batch.isEmpty()) {
          synchronized (wakeup) {
            wakeup.wait(settings.backoffMs() > 0 ? settings.backoffMs() : 100);
          }
          continue;
        }
        try {
          Struct response = connection().send(ApiKey.FETCH, request(batch));
          process(batch, response);
        } catch (RuntimeException e) {
          if (!running) {
            return;
          }
          LOG.debug("Fetch from broker {} failed: {}", leaderId, e.toString());
          closeConnection();
          Thread.sleep(Math.max(1, settings.backoffMs()));
        }
      }
    } catch (InterruptedException e) {
      // Shutting down.
    } finally {
      closeConnection();
    }
  }

  private Map<TopicPartition, FollowerPosition> fetchable() {
    long now = System.currentTimeMillis();
    Map<TopicPartition, FollowerPosition> out = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Integer> e : partitions.entrySet()) {
      Long until = delayedUntil.get(e.getKey());
      if (until != null && until > now || replicas.followerThrottled(e.getKey())) {
        continue;
      }
      replicas.followerPosition(e.getKey())
          .filter(pos -> pos.currentLeaderEpoch() == e.getValue())
          .ifPresent(pos -> out.put(e.getKey(), pos));
    }
    return out;
  }

  private BrokerConnection connection() {
    if (connection == null) {
      BrokerRegistration leader = brokers.apply(leaderId).orElseThrow(
          () -> new IllegalStateException("leader " + leaderId + " is not registered"));
      BrokerEndpoint e = leader.endpoints().stream()
          .filter(x -> x.listener().equals(settings.listenerName())).findFirst()
          .orElse(leader.endpoints().get(0));
      try {
        connection = BrokerConnection.open(e.host(), e.port(), "rill-replica-" + localId,
            settings.socketTimeoutMs());
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException("connecting to leader " + leaderId + " at "
            + e.host() + ":" + e.port(), ex);
      }
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        // Already broken; nothing to release.
      }
      connection = null;
    }
  }

  private Struct request(Map<TopicPartition, FollowerPosition> batch) {
    Struct request = new Struct(FetchRequest.SCHEMA)
        .set(FetchRequest.REPLICA_ID, localId)
        .set(FetchRequest.MAX_WAIT_MS, settings.maxWaitMs())
        .set(FetchRequest.MIN_BYTES, settings.minBytes())
        .set(FetchRequest.MAX_BYTES, settings.responseMaxBytes())
        .set(FetchRequest.ISOLATION_LEVEL, (byte) 0)
        .set(FetchRequest.SESSION_ID, 0)
        .set(FetchRequest.SESSION_EPOCH, -1);
    Map<String, List<Map.Entry<TopicPartition, FollowerPosition>>> byTopic = new LinkedHashMap<>();
    batch.entrySet().forEach(e -> byTopic.computeIfAbsent(e.getKey().topic(),
        t -> new ArrayList<>()).add(e));
    for (Map.Entry<String, List<Map.Entry<TopicPartition, FollowerPosition>>> t
        : byTopic.entrySet()) {
      Struct topic = request.addElement(FetchRequest.TOPICS).set(FetchRequest.TOPIC, t.getKey());
      for (Map.Entry<TopicPartition, FollowerPosition> p : t.getValue()) {
        topic.addElement(FetchRequest.PARTITIONS)
            .set(FetchRequest.PARTITION, p.getKey().partition())
            .set(FetchRequest.CURRENT_LEADER_EPOCH, p.getValue().currentLeaderEpoch())
            .set(FetchRequest.FETCH_OFFSET, p.getValue().fetchOffset())
            .set(FetchRequest.LAST_FETCHED_EPOCH, p.getValue().lastFetchedEpoch())
            .set(FetchRequest.LOG_START_OFFSET, -1L)
            .set(FetchRequest.PARTITION_MAX_BYTES, settings.partitionMaxBytes());
      }
    }
    return request;
  }

  private void process(Map<TopicPartition, FollowerPosition> batch, Struct response) {
    short top = response.get(FetchResponse.ERROR_CODE);
    if (top != 0) {
      throw new IllegalStateException("fetch from broker " + leaderId + " refused: "
          + Errors.forCode(top));
    }
    for (Struct topic : response.get(FetchResponse.RESPONSES)) {
      String name = topic.get(FetchResponse.TOPIC);
      for (Struct p : topic.get(FetchResponse.PARTITIONS)) {
        TopicPartition tp = new TopicPartition(name, p.getInt(FetchResponse.PARTITION_INDEX));
        FollowerPosition asked = batch.get(tp);
        Integer epoch = partitions.get(tp);
        if (asked == null || epoch == null || epoch != asked.currentLeaderEpoch()) {
          continue; // the metadata moved the partition while the fetch was out
        }
        try {
          processPartition(tp, asked, p);
        } catch (RuntimeException e) {
          LOG.warn("Follower of {} could not take the leader's answer: {}", tp, e.toString());
          delayedUntil.put(tp, System.currentTimeMillis() + Math.max(1, settings.backoffMs()));
        }
      }
    }
  }

  private void processPartition(TopicPartition tp, FollowerPosition asked, Struct p) {
    Errors error = Errors.forCode(p.get(FetchResponse.PARTITION_ERROR_CODE));
    if (error == Errors.NONE) {
      Struct diverging = p.get(FetchResponse.DIVERGING_EPOCH);
      if (diverging != null && diverging.getInt(FetchResponse.DIVERGING_EPOCH_EPOCH) >= 0) {
        replicas.truncateOnDivergence(tp, diverging.getInt(FetchResponse.DIVERGING_EPOCH_EPOCH),
            diverging.getLong(FetchResponse.DIVERGING_EPOCH_END_OFFSET));
        return;
      }
      Object records = p.get(FetchResponse.RECORDS);
      ByteBuffer buf = records instanceof ByteBuffer b ? b : ByteBuffer.allocate(0);
      replicas.recordFollowerFetch(tp, buf.remaining());
      replicas.appendFromLeader(tp, buf, p.getLong(FetchResponse.HIGH_WATERMARK));
      return;
    }
    if (error == Errors.OFFSET_OUT_OF_RANGE) {
      long leaderStart = p.getLong(FetchResponse.LOG_START_OFFSET);
      if (leaderStart > asked.fetchOffset()) {
        replicas.restartAt(tp, leaderStart);
        return;
      }
      LOG.warn("{}: fetch offset {} out of range at leader {} (its log start {})", tp,
          asked.fetchOffset(), leaderId, leaderStart);
    } else if (error != Errors.NOT_LEADER_OR_FOLLOWER && error != Errors.FENCED_LEADER_EPOCH
        && error != Errors.UNKNOWN_LEADER_EPOCH) {
      LOG.warn("{}: leader {} answered {}", tp, leaderId, error);
    }
    delayedUntil.put(tp, System.currentTimeMillis() + Math.max(1, settings.backoffMs()));
  }
}
