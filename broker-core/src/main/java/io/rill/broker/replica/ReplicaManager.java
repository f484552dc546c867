package io.rill.broker.replica;

import io.rill.broker.log.LogManager;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Scheduler;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.purgatory.Purgatory;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker holds and the operations on them: produce appends, fetch reads,
 * and the application of metadata changes (create, delete, leadership).
 *
 * <p>Threads: request handlers call {@link #append} and {@link #read} concurrently; {@link
 * #apply} runs on the metadata publisher's single thread. The partition map is concurrent and
 * each {@link Partition} guards its own state.
 */
public final class ReplicaManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

  private final int localNodeId;
  private final LogManager logManager;
  private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
  private final Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch");
  /** The image last applied; tells a partition hosted elsewhere from one that does not exist. */
  private volatile MetadataImage image = MetadataImage.EMPTY;
  private volatile boolean closed;

  public ReplicaManager(int localNodeId, LogManager logManager) {
    this.localNodeId = localNodeId;
    this.logManager = logManager;
  }

  public Purgatory<TopicPartition> fetchPurgatory() {
    return fetchPurgatory;
  }

  public Optional<Partition> partition(TopicPartition tp) {
    return Optional.ofNullable(partitions.get(tp));
  }

  /**
   * Appends to one partition this broker leads, and wakes fetches waiting on it. Errors come
   * back in the outcome, never as exceptions.
   */
  public ProduceOutcome append(TopicPartition tp, ByteBuffer records, int requiredAcks,
      int minInsyncReplicas) {
    Partition p = partitions.get(tp);
    if (p == null) {
      return ProduceOutcome.error(notHosted(tp), "no replica of " + tp + " on this broker");
    }
    if (logManager.isOffline(tp)) {
      return ProduceOutcome.error(Errors.KAFKA_STORAGE_ERROR, "the log dir of " + tp
          + " is offline");
    }
    ProduceOutcome outcome;
    try {
      outcome = p.appendAsLeader(records, requiredAcks, minInsyncReplicas);
    } catch (RuntimeException e) {
      Errors error = ErrorMapping.forException(e);
      if (!ErrorMapping.isExpected(error)) {
        log.error("Append to {} failed", tp, e);
      }
      return ProduceOutcome.error(error, e.getMessage());
    }
    if (outcome.error() == Errors.NONE) {
      fetchPurgatory.checkAndComplete(tp);
    }
    return outcome;
  }

  /**
   * The partition if this broker leads it and its log dir is online, else the error a client
   * gets for it (UNKNOWN_TOPIC_OR_PARTITION, KAFKA_STORAGE_ERROR, NOT_LEADER_OR_FOLLOWER).
   */
  public Lookup leader(TopicPartition tp) {
    Partition p = partitions.get(tp);
    if (p == null) {
      return new Lookup(null, notHosted(tp));
    }
    if (logManager.isOffline(tp)) {
      return new Lookup(null, Errors.KAFKA_STORAGE_ERROR);
    }
    return p.isLeader() ? new Lookup(p, Errors.NONE)
        : new Lookup(null, Errors.NOT_LEADER_OR_FOLLOWER);
  }

  /** A partition this broker leads, or why not. */
  public record Lookup(Partition partition, Errors error) {}

  /** A consumer read of {@code tp} from {@code offset}, bounded by the high watermark. */
  public PartitionRead read(TopicPartition tp, long offset, int maxBytes, boolean minOneBatch) {
    Partition p = partitions.get(tp);
    if (p == null) {
      return PartitionRead.error(notHosted(tp), "no replica of " + tp + " on this broker");
    }
    if (!p.isLeader()) {
      return PartitionRead.error(Errors.NOT_LEADER_OR_FOLLOWER, "not the leader of " + tp);
    }
    try {
      long hw = p.highWatermark();
      if (offset == hw) {
        // Nothing committed past the fetch offset: answer empty without touching the log.
        return new PartitionRead(Errors.NONE, null, hw, p.logStartOffset(), null);
      }
      ReadResult read = p.readCommitted(offset, maxBytes, minOneBatch);
      return new PartitionRead(Errors.NONE, read.records(), hw, read.logStartOffset(), null);
    } catch (RuntimeException e) {
      Errors error = ErrorMapping.forException(e);
      if (!ErrorMapping.isExpected(error)) {
        log.error("Read of {} at {} failed", tp, offset, e);
      }
      return new PartitionRead(error, null, p.highWatermark(), p.logStartOffset(),
          e.getMessage());
    }
  }

  /**
   * The error for a partition this broker holds no replica of: NOT_LEADER_OR_FOLLOWER when the
   * partition exists elsewhere in the cluster (the client refreshes its metadata and goes to
   * the leader), else UNKNOWN_TOPIC_OR_PARTITION.
   */
  private Errors notHosted(TopicPartition tp) {
    return image.topic(tp.topic()).filter(t -> tp.partition() >= 0
        && tp.partition() < t.numPartitions()).isPresent()
        ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
  }

  /** Applies a metadata change: creates, updates and deletes the local replicas it concerns. */
  public void apply(MetadataDelta delta) {
    for (TopicImage removed : delta.removedTopics()) {
      for (int i = 0; i < removed.numPartitions(); i++) {
        TopicPartition tp = new TopicPartition(removed.name(), i);
        if (partitions.remove(tp) != null || logManager.log(tp).isPresent()) {
          deleteLog(tp);
        }
      }
    }
    delta.createdTopics().forEach(this::applyTopic);
    delta.changedTopics().forEach(this::applyTopic);
    image = delta.current();
  }

  private void applyTopic(TopicImage topic) {
    for (int i = 0; i < topic.numPartitions(); i++) {
      PartitionRegistration reg = topic.partition(i);
      if (!reg.replicas().contains(localNodeId)) {
        continue;
      }
      TopicPartition tp = new TopicPartition(topic.name(), i);
      Partition.LeaderState state = new Partition.LeaderState(reg.leader(), reg.leaderEpoch(),
          reg.isr(), reg.replicas());
      Partition existing = partitions.get(tp);
      if (existing != null) {
        existing.updateLeadership(topic.id(), state);
        continue;
      }
      try {
        PartitionLog partitionLog = logManager.getOrCreateLog(tp);
        partitions.put(tp, new Partition(tp, localNodeId, partitionLog, topic.id(), state));
      } catch (RuntimeException e) {
        log.error("Cannot open the log of {}; it stays offline", tp, e);
      }
    }
  }

  private void deleteLog(TopicPartition tp) {
    try {
      logManager.deleteLog(tp);
    } catch (RuntimeException e) {
      log.error("Cannot delete the log of {}", tp, e);
    }
  }

  /** The topic name of a topic id this broker holds, for fetches by id (v13+). */
  public Optional<String> topicName(UUID topicId) {
    return partitions.values().stream().filter(p -> topicId.equals(p.topicId()))
        .map(p -> p.topicPartition().topic()).findFirst();
  }

  /**
   * Every {@code intervalMs}, forgets the idempotent-producer state of producers whose last
   * batch is older than {@code expirationMs} ({@code producer.id.expiration.ms}): a broker that
   * runs for months would otherwise keep an entry for every producer that ever wrote, and the
   * Java producer is idempotent by default, with a new producer id per instance.
   */
  public void startProducerExpiration(Scheduler scheduler, long intervalMs, long expirationMs) {
    scheduler.repeat("producer-expiration", intervalMs, () -> !closed, () -> {
      long now = System.currentTimeMillis();
      int expired = 0;
      for (Partition p : partitions.values()) {
        expired += p.producers().expire(now, expirationMs);
      }
      if (expired > 0) {
        log.info("Expired the state of {} idle producer(s) (producer.id.expiration.ms={})",
            expired, expirationMs);
      }
    });
  }

  /**
   * Stops this replica manager; called after the request handlers and group coordinators have
   * stopped and before the logs close, so no append follows. Writes each partition's producer
   * state for the next start (see {@link Partition#writeProducerStateSnapshot}).
   */
  @Override
  public void close() {
    closed = true;
    fetchPurgatory.close();
    long start = System.nanoTime();
    int written = 0;
    for (Partition p : partitions.values()) {
      if (logManager.isOffline(p.topicPartition())) {
        continue;
      }
      try {
        p.writeProducerStateSnapshot();
        written++;
      } catch (IOException | RuntimeException e) {
        log.warn("Could not write the producer state of {} ({}); the next start replays its"
            + " log", p.topicPartition(), e.toString());
      }
    }
    log.info("Wrote the producer state of {} partitions in {} ms", written,
        (System.nanoTime() - start) / 1_000_000);
  }
}
