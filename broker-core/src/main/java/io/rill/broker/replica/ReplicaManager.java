package io.rill.broker.replica;

import io.rill.broker.log.LogManager;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.Scheduler;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.purgatory.Purgatory;
import io.rill.metadata.command.AlterPartitionItem;
import io.rill.metadata.command.AlterPartitionItemResult;
import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.metadata.image.Uuids;
import io.rill.protocol.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker holds and the operations on them: produce appends (acks=all waits
 * in the produce purgatory for the high watermark), consumer and follower fetches, the
 * follower's side of replication (appends copied from the leader, truncation of a divergent
 * tail), the leader's ISR maintenance, and the application of metadata changes (create, delete,
 * lead or follow: a follower is handed to the replica fetchers).
 *
 * <p>Threads: request handlers call {@link #append}, {@link #read} and {@link
 * #readForFollower} concurrently; replica fetcher threads call the follower methods; {@link
 * #apply} runs on the metadata loader thread; ISR maintenance and the high-watermark checkpoint
 * run on the scheduler. The partition map is concurrent and each {@link Partition} guards its
 * own state.
 */
public final class ReplicaManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);
  /** Kafka's replica.high.watermark.checkpoint.interval.ms. */
  static final long HW_CHECKPOINT_INTERVAL_MS = 5_000;

  private final int localNodeId;
  private final LogManager logManager;
  private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
  private final Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch");
  private final Purgatory<TopicPartition> producePurgatory = new Purgatory<>("produce");
  /** Read once at start: the high watermarks the last run left. */
  private final Map<TopicPartition, Long> checkpointedHighWatermarks;
  /** The image last applied; tells a partition hosted elsewhere from one that does not exist. */
  private volatile MetadataImage image = MetadataImage.EMPTY;
  private final ReplicationThrottle throttle;
  private volatile FollowerFetching fetching = FollowerFetching.NONE;
  private volatile IsrChanges isrChanges;
  private volatile boolean closed;

  public ReplicaManager(int localNodeId, LogManager logManager) {
    this.localNodeId = localNodeId;
    this.throttle = new ReplicationThrottle(localNodeId);
    this.logManager = logManager;
    this.checkpointedHighWatermarks = HighWatermarks.read(logManager.logDirs());
  }

  /** Connects the replica fetchers and the ISR channel (before the first {@link #apply}). */
  public void connect(FollowerFetching fetchers, IsrChanges changes) {
    this.fetching = fetchers;
    this.isrChanges = changes;
  }

  public Purgatory<TopicPartition> fetchPurgatory() {
    return fetchPurgatory;
  }

  public Purgatory<TopicPartition> producePurgatory() {
    return producePurgatory;
  }

  public Optional<Partition> partition(TopicPartition tp) {
    return Optional.ofNullable(partitions.get(tp));
  }

  /** The logs under the replicas, for what reports on disks (DescribeLogDirs). */
  public LogManager logManager() {
    return logManager;
  }

  /** A broker's registration as of the image this replica layer last applied. */
  public Optional<BrokerRegistration> broker(int id) {
    return image.broker(id);
  }

  /** The broker currently leading {@code tp} in this broker's metadata, if any. */
  public Optional<BrokerRegistration> leaderBroker(TopicPartition tp) {
    return image.topic(tp.topic()).filter(t -> tp.partition() < t.numPartitions())
        .map(t -> t.partition(tp.partition()).leader()).flatMap(image::broker);
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
      // Followers wait for new data; consumers for the high watermark (it moves here when the
      // ISR is the leader alone).
      fetchPurgatory.checkAndComplete(tp);
      producePurgatory.checkAndComplete(tp);
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
      if (offset >= hw && offset <= p.logEndOffset()) {
        // Nothing committed past the fetch offset (a new leader's high watermark may still lag
        // the old one's): answer empty, not out of range, without touching the log.
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
   * A follower's fetch of a partition this broker leads: records up to the log end, or where its
   * log diverged. Its progress may raise the high watermark, which completes waiting acks=all
   * produces and consumer fetches.
   */
  public Partition.FollowerRead readForFollower(TopicPartition tp, int replicaId,
      long fetchOffset, int lastFetchedEpoch, int maxBytes) {
    Partition p = partitions.get(tp);
    if (p == null) {
      return Partition.FollowerRead.error(notHosted(tp));
    }
    if (logManager.isOffline(tp)) {
      return Partition.FollowerRead.error(Errors.KAFKA_STORAGE_ERROR);
    }
    long hwBefore = p.highWatermark();
    Partition.FollowerRead read;
    try {
      read = p.readForFollower(replicaId, fetchOffset, lastFetchedEpoch, maxBytes,
          System.currentTimeMillis());
    } catch (RuntimeException e) {
      Errors error = ErrorMapping.forException(e);
      if (!ErrorMapping.isExpected(error)) {
        log.error("Follower {}'s read of {} at {} failed", replicaId, tp, fetchOffset, e);
      }
      return Partition.FollowerRead.error(error);
    }
    if (p.highWatermark() > hwBefore) {
      producePurgatory.checkAndComplete(tp);
      fetchPurgatory.checkAndComplete(tp);
    }
    return throttleForFollower(tp, replicaId, p, read);
  }

  /**
   * The leader's side of a replication throttle: an out-of-sync replica's fetch of a throttled
   * partition gets no records once the leader's rate is spent (its position still counted).
   */
  private Partition.FollowerRead throttleForFollower(TopicPartition tp, int replicaId,
      Partition p, Partition.FollowerRead read) {
    if (read.records() == null || read.records().length() == 0
        || !throttle.leaderThrottles(tp, replicaId, p.leaderState().isr())) {
      return read;
    }
    long now = System.currentTimeMillis();
    if (throttle.leaderQuota().exceeded(now)) {
      return new Partition.FollowerRead(read.error(), null, read.highWatermark(),
          read.logStartOffset(), read.divergingEpoch(), read.divergingEndOffset());
    }
    throttle.leaderQuota().record(read.records().length(), now);
    return read;
  }

  /** The replication throttle of this broker (KIP-73). */
  public ReplicationThrottle throttle() {
    return throttle;
  }

  /**
   * On a follower: whether {@code tp} should sit out this fetch (throttled, and the follower's
   * rate is spent).
   */
  public boolean followerThrottled(TopicPartition tp) {
    return throttle.followerThrottles(tp)
        && throttle.followerQuota().exceeded(System.currentTimeMillis());
  }

  /** On a follower: counts {@code bytes} fetched for {@code tp} against its throttle. */
  public void recordFollowerFetch(TopicPartition tp, int bytes) {
    if (bytes > 0 && throttle.followerThrottles(tp)) {
      throttle.followerQuota().record(bytes, System.currentTimeMillis());
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

  // ---- metadata (loader thread) --------------------------------------------------------------

  /**
   * Applies a metadata change: creates and deletes the local replicas it concerns, makes each
   * the leader or a follower of its partition as the image says, and hands followers to the
   * replica fetchers.
   */
  public void apply(MetadataDelta delta) {
    image = delta.current();
    for (TopicImage removed : delta.removedTopics()) {
      for (int i = 0; i < removed.numPartitions(); i++) {
        TopicPartition tp = new TopicPartition(removed.name(), i);
        fetching.stop(tp);
        Partition gone = partitions.remove(tp);
        if (gone != null || logManager.log(tp).isPresent()) {
          deleteLog(tp);
        }
        failWaiting(tp);
      }
    }
    delta.createdTopics().forEach(t -> applyTopic(delta, t));
    delta.changedTopics().forEach(t -> applyTopic(delta, t));
  }

  private void applyTopic(MetadataDelta delta, TopicImage topic) {
    for (int i : delta.changedPartitions(topic)) {
      PartitionRegistration reg = topic.partition(i);
      TopicPartition tp = new TopicPartition(topic.name(), i);
      if (!reg.replicas().contains(localNodeId)) {
        // Reassigned away (or a stray log left by a reassignment that completed while this
        // broker was down): the replica is deleted, as Kafka's StopReplica(delete) does.
        fetching.stop(tp);
        if (partitions.remove(tp) != null || logManager.log(tp).isPresent()) {
          log.info("{} is no longer assigned to broker {} (replicas {}): deleting its log", tp,
              localNodeId, reg.replicas());
          deleteLog(tp);
        }
        failWaiting(tp);
        continue;
      }
      Partition p = partitions.get(tp);
      if (p == null) {
        try {
          PartitionLog partitionLog = logManager.getOrCreateLog(tp);
          p = new Partition(tp, localNodeId, partitionLog, topic.id(),
              checkpointedHighWatermarks.getOrDefault(tp, -1L));
          partitions.put(tp, p);
        } catch (RuntimeException e) {
          log.error("Cannot open the log of {}; it stays offline", tp, e);
          continue;
        }
      }
      Partition.LeaderState state = new Partition.LeaderState(reg.leader(), reg.leaderEpoch(),
          reg.isr(), reg.replicas(), reg.partitionEpoch());
      try {
        p.applyLeadership(topic.id(), state, System.currentTimeMillis());
      } catch (RuntimeException e) {
        log.error("Cannot apply the leadership of {} ({})", tp, state, e);
        continue;
      }
      if (reg.leader() == localNodeId || reg.leader() == PartitionRegistration.NO_LEADER) {
        fetching.stop(tp);
      } else {
        fetching.follow(tp, reg.leader(), reg.leaderEpoch());
      }
      // Requests waiting on this replica as leader re-check: they fail if it no longer leads.
      producePurgatory.checkAndComplete(tp);
      fetchPurgatory.checkAndComplete(tp);
    }
  }

  private void failWaiting(TopicPartition tp) {
    producePurgatory.checkAndComplete(tp);
    fetchPurgatory.checkAndComplete(tp);
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

  // ---- follower side (replica fetcher threads) --------------------------------------------

  /** What a follower sends for {@code tp}: its log end and the epoch of its last batch. */
  public Optional<FollowerPosition> followerPosition(TopicPartition tp) {
    Partition p = partitions.get(tp);
    if (p == null || p.isLeader()) {
      return Optional.empty();
    }
    return Optional.of(new FollowerPosition(p.logEndOffset(), p.lastFetchedEpoch(),
        p.leaderEpoch()));
  }

  /** A follower's fetch position: its log end, last fetched epoch, and current leader epoch. */
  public record FollowerPosition(long fetchOffset, int lastFetchedEpoch, int currentLeaderEpoch) {}

  /** Appends batches fetched from the leader and takes its high watermark. */
  public void appendFromLeader(TopicPartition tp, ByteBuffer records, long leaderHighWatermark) {
    Partition p = partitions.get(tp);
    if (p == null || p.isLeader()) {
      return;
    }
    if (records.hasRemaining()) {
      p.appendAsFollower(records);
    }
    p.updateFollowerHighWatermark(leaderHighWatermark);
  }

  /** The leader reported a divergent tail: truncate it (see Partition.truncateOnDivergence). */
  public void truncateOnDivergence(TopicPartition tp, int epoch, long endOffset) {
    Partition p = partitions.get(tp);
    if (p != null && !p.isLeader()) {
      p.truncateOnDivergence(epoch, endOffset);
    }
  }

  /** The leader's log starts past ours: restart ours, empty, at its log start. */
  public void restartAt(TopicPartition tp, long leaderLogStartOffset) {
    Partition p = partitions.get(tp);
    if (p != null && !p.isLeader() && p.logEndOffset() < leaderLogStartOffset) {
      log.info("{}: the leader's log starts at {}, past our log end {}; starting over there",
          tp, leaderLogStartOffset, p.logEndOffset());
      p.truncateFullyAndStartAt(leaderLogStartOffset);
    }
  }

  // ---- leader side: ISR maintenance (scheduler) ----------------------------------------------

  /**
   * Every {@code intervalMs}, each partition this broker leads proposes an ISR change if one is
   * due: followers behind for longer than {@code lagMaxMs} leave, caught-up eligible ones join.
   */
  public void startIsrMaintenance(Scheduler scheduler, long intervalMs, long lagMaxMs) {
    scheduler.repeat("isr-maintenance", intervalMs, () -> !closed, () -> {
      long now = System.currentTimeMillis();
      for (Partition p : partitions.values()) {
        if (!p.isLeader()) {
          continue;
        }
        p.isrChangeToPropose(now, lagMaxMs, this::eligibleForIsr)
            .ifPresent(isr -> proposeIsr(p, isr));
      }
    });
  }

  /** KIP-841: only registered, unfenced brokers that are not shutting down may join an ISR. */
  private boolean eligibleForIsr(int brokerId) {
    return image.broker(brokerId).filter(b -> b.isActive() && !b.inControlledShutdown())
        .isPresent();
  }

  private void proposeIsr(Partition p, List<Integer> isr) {
    IsrChanges changes = isrChanges;
    Partition.LeaderState state = p.leaderState();
    TopicPartition tp = p.topicPartition();
    if (changes == null) {
      p.isrChangeAnswered(state.leaderEpoch(), -1, isr, false);
      return;
    }
    log.info("{}: proposing ISR {} (was {})", tp, isr, state.isr());
    AlterPartitionRequest.Builder request = AlterPartitionRequest.newBuilder()
        .addPartitions(AlterPartitionItem.newBuilder()
            .setTopicId(Uuids.toProto(p.topicId())).setPartition(tp.partition())
            .setLeaderEpoch(state.leaderEpoch()).setPartitionEpoch(state.partitionEpoch())
            .addAllNewIsr(isr));
    changes.send(request).whenComplete((response, error) -> {
      boolean accepted = false;
      int partitionEpoch = -1;
      List<Integer> newIsr = isr;
      if (error != null) {
        log.warn("{}: ISR change to {} not answered: {}", tp, isr, error.toString());
      } else if (response.getErrorCode() != 0) {
        log.warn("{}: ISR change to {} refused: {}", tp, isr,
            Errors.forCode(response.getErrorCode()));
      } else if (response.getPartitionsCount() == 1) {
        AlterPartitionItemResult r = response.getPartitions(0);
        accepted = r.getErrorCode() == 0;
        partitionEpoch = r.getPartitionEpoch();
        newIsr = r.getIsrList();
        if (!accepted) {
          log.info("{}: ISR change to {} refused: {}", tp, isr,
              Errors.forCode(r.getErrorCode()));
        }
      }
      if (p.isrChangeAnswered(state.leaderEpoch(), partitionEpoch, newIsr, accepted)) {
        producePurgatory.checkAndComplete(tp);
        fetchPurgatory.checkAndComplete(tp);
      }
    });
  }

  // ---- housekeeping ------------------------------------------------------------------------

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

  /** Checkpoints every partition's high watermark every {@value #HW_CHECKPOINT_INTERVAL_MS} ms. */
  public void startHighWatermarkCheckpoints(Scheduler scheduler) {
    scheduler.repeat("hw-checkpoint", HW_CHECKPOINT_INTERVAL_MS, () -> !closed,
        this::checkpointHighWatermarks);
  }

  void checkpointHighWatermarks() {
    Map<Path, Map<TopicPartition, Long>> byDir = new HashMap<>();
    for (Path dir : logManager.logDirs()) {
      byDir.put(dir, new HashMap<>());
    }
    for (Partition p : partitions.values()) {
      if (logManager.isOffline(p.topicPartition())) {
        continue;
      }
      byDir.computeIfAbsent(p.log().logDir(), d -> new HashMap<>())
          .put(p.topicPartition(), p.highWatermark());
    }
    byDir.keySet().removeIf(dir -> logManager.isOffline(dir));
    try {
      HighWatermarks.write(byDir);
    } catch (IOException e) {
      log.warn("Could not checkpoint the high watermarks: {}", e.toString());
    }
  }

  /**
   * Stops this replica manager; called after the request handlers, fetchers and group
   * coordinators have stopped and before the logs close, so no append follows. Writes each
   * partition's producer state and the high watermarks for the next start.
   */
  @Override
  public void close() {
    closed = true;
    fetchPurgatory.close();
    producePurgatory.close();
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
    checkpointHighWatermarks();
    log.info("Wrote the producer state of {} partitions in {} ms", written,
        (System.nanoTime() - start) / 1_000_000);
  }
}
