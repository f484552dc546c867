package io.rill.broker.group;

import io.rill.broker.api.BrokerServices;
import io.rill.broker.log.FileRegion;
import io.rill.broker.log.LogResults.ReadResult;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.Partition;
import io.rill.broker.replica.ReplicaManager;
import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.ControllerChannel;
import io.rill.metadata.command.CreatableTopic;
import io.rill.metadata.command.CreateTopicsRequest;
import io.rill.metadata.image.PartitionRegistration;
import io.rill.metadata.image.TopicImage;
import io.rill.protocol.Errors;
import io.rill.protocol.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's group coordinators: one per {@code __consumer_offsets} partition it leads, found
 * by {@link #partitionFor} exactly as Kafka hashes group ids, so the cluster can spread them.
 *
 * <p>Lifecycle: {@link #start} subscribes to metadata; whenever the offsets topic's leadership
 * changes, the single loader thread ({@code group-loader-0}) reconciles: it loads each partition
 * this node now leads (replaying its records into a fresh {@link GroupCoordinator}; requests
 * meanwhile get COORDINATOR_LOAD_IN_PROGRESS) and unloads those it lost (NOT_COORDINATOR). The
 * topic is created through the quorum on first need (FindCoordinator). {@link #close} stops the
 * timer and the loader and unloads everything.
 *
 * <p>Threads: {@link #coordinatorFor} and {@link #findCoordinator} are called by handler
 * threads; the slot map is concurrent and a slot only ever goes absent → loading → loaded →
 * absent, each step on the loader thread.
 */
public final class GroupCoordinatorManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorManager.class);
  public static final String OFFSETS_TOPIC = "__consumer_offsets";
  /** How soon to look again when metadata names us leader before the replica exists. */
  static final long RECONCILE_RETRY_MS = 100;
  /** Kafka's offsets.retention.check.interval.ms default. */
  static final long RETENTION_CHECK_INTERVAL_MS = 600_000;
  /** Bytes read per step when loading a partition (at least one whole batch is read). */
  static final int LOAD_READ_BYTES = 1 << 20;
  /** Kafka's offsets.topic.segment.bytes default. */
  static final String OFFSETS_SEGMENT_BYTES = "104857600";

  /** Where a group's coordinator stands on this node. */
  public sealed interface Lookup {
    record Ready(GroupCoordinator coordinator) implements Lookup {}

    record NotReady(Errors error) implements Lookup {}
  }

  private final int nodeId;
  private final ControllerChannel controller;
  private final MetadataCache metadata;
  private final ReplicaManager replicas;
  private final GroupConfig config;
  private final int numPartitions;
  private final int replicationFactor;
  private final Time time;
  private final Random random;
  private final ExecutorGroupTimer timer = new ExecutorGroupTimer();
  private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "group-loader-0");
    t.setDaemon(true);
    return t;
  });
  /** Absent: not ours. A null coordinator: loading. */
  private final Map<Integer, Optional<GroupCoordinator>> slots = new ConcurrentHashMap<>();
  private final AtomicBoolean reconcileQueued = new AtomicBoolean();
  private final AtomicBoolean topicCreationInFlight = new AtomicBoolean();
  private volatile boolean closed;

  public GroupCoordinatorManager(int nodeId, ControllerChannel controller,
      MetadataCache metadata, ReplicaManager replicas,
      GroupConfig config, int numPartitions, int replicationFactor, Time time, Random random) {
    Checks.argument(numPartitions > 0, "offsets.topic.num.partitions %s", numPartitions);
    this.nodeId = nodeId;
    this.controller = controller;
    this.metadata = metadata;
    this.replicas = replicas;
    this.config = config;
    this.numPartitions = numPartitions;
    this.replicationFactor = replicationFactor;
    this.time = time;
    this.random = random;
  }

  public static GroupCoordinatorManager create(BrokerServices services) {
    return new GroupCoordinatorManager(services.nodeId(), services.controller(),
        services.metadata(), services.replicas(),
        GroupConfig.from(services.config()),
        services.config().getInt("offsets.topic.num.partitions"),
        services.config().getInt("offsets.topic.replication.factor"), Time.SYSTEM, new Random());
  }

  /** Subscribes to metadata (loading what this node leads) and starts offset expiration. */
  public void start() {
    metadata.addListener(delta -> requestReconcile());
    requestReconcile();
    scheduleRetentionCheck();
  }

  /** Kafka's rule, so a group maps to the same partition number on both systems. */
  /**
   * Sends {@code response} (given null) once the group's {@code __consumer_offsets} partition
   * has replicated everything written so far, or (given the error) NOT_COORDINATOR when this
   * broker stops leading it, COORDINATOR_NOT_AVAILABLE at {@code offsets.commit.timeout.ms}.
   */
  public void answerWhenReplicated(io.rill.broker.api.RequestContext ctx, String groupId,
      java.util.function.Function<Errors, io.rill.protocol.schema.Struct> response) {
    ReplicatedWrite.answerWhenReplicated(ctx, replicas,
        new TopicPartition(OFFSETS_TOPIC, partitionFor(groupId)), config.commitTimeoutMs(),
        response);
  }

  public int partitionFor(String groupId) {
    int h = groupId.hashCode();
    return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % numPartitions;
  }

  public Lookup coordinatorFor(String groupId) {
    int p = partitionFor(groupId);
    Optional<GroupCoordinator> slot = slots.get(p);
    if (slot != null) {
      return slot.<Lookup>map(Lookup.Ready::new)
          .orElse(new Lookup.NotReady(Errors.COORDINATOR_LOAD_IN_PROGRESS));
    }
    Optional<PartitionRegistration> reg = registration(p);
    if (reg.isPresent() && reg.get().leader() == nodeId) {
      requestReconcile();
      return new Lookup.NotReady(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }
    return new Lookup.NotReady(Errors.NOT_COORDINATOR);
  }

  /**
   * The node coordinating {@code groupId}, creating the offsets topic on first need; an error
   * (COORDINATOR_NOT_AVAILABLE) while the topic or its leader does not exist yet.
   */
  public CoordinatorNode findCoordinator(String groupId) {
    Optional<TopicImage> topic = metadata.image().topic(OFFSETS_TOPIC);
    if (topic.isEmpty()) {
      createOffsetsTopic();
      return CoordinatorNode.error(Errors.COORDINATOR_NOT_AVAILABLE);
    }
    PartitionRegistration reg = topic.get().partition(partitionFor(groupId));
    if (!reg.hasLeader()) {
      return CoordinatorNode.error(Errors.COORDINATOR_NOT_AVAILABLE);
    }
    return new CoordinatorNode(Errors.NONE, reg.leader());
  }

  /** FindCoordinator's answer before the endpoint is resolved on the request's listener. */
  public record CoordinatorNode(Errors error, int nodeId) {
    static CoordinatorNode error(Errors e) {
      return new CoordinatorNode(e, -1);
    }
  }

  /** Every loaded coordinator, and whether some partition of ours is still loading. */
  public List<GroupCoordinator> loadedCoordinators() {
    List<GroupCoordinator> out = new ArrayList<>();
    slots.values().forEach(s -> s.ifPresent(out::add));
    return out;
  }

  public boolean anyLoading() {
    return slots.values().stream().anyMatch(Optional::isEmpty);
  }

  private Optional<PartitionRegistration> registration(int p) {
    return metadata.image().topic(OFFSETS_TOPIC).map(t -> t.partition(p));
  }

  private void createOffsetsTopic() {
    if (!topicCreationInFlight.compareAndSet(false, true)) {
      return;
    }
    int brokers = Math.max(1, metadata.image().activeBrokerIds().size());
    CreateTopicsRequest request = CreateTopicsRequest.newBuilder()
        .addTopics(CreatableTopic.newBuilder().setName(OFFSETS_TOPIC)
            .setNumPartitions(numPartitions)
            .setReplicationFactor(Math.min(replicationFactor, brokers))
            // Kafka's settings: compacted, so the log keeps each group's latest offsets and
            // metadata (older commits and deleted groups' tombstones go when the cleaner runs);
            // never deleted by time or size, or committed offsets would vanish.
            .putConfigs("cleanup.policy", "compact")
            .putConfigs("retention.ms", "-1")
            .putConfigs("retention.bytes", "-1")
            .putConfigs("segment.bytes", OFFSETS_SEGMENT_BYTES))
        .build();
    controller.createTopics(request).thenApply(ControllerChannel.Answer::response)
        .whenComplete((response, error) -> {
      topicCreationInFlight.set(false);
      if (error != null) {
        log.warn("Creating {} failed: {}", OFFSETS_TOPIC, error.toString());
      } else if (response.getTopics(0).getErrorCode() != 0) {
        log.info("Creating {}: error {} {}", OFFSETS_TOPIC, response.getTopics(0).getErrorCode(),
            response.getTopics(0).getErrorMessage());
      } else {
        log.info("Created {} with {} partitions", OFFSETS_TOPIC, numPartitions);
      }
    });
  }

  // ---- loading (loader thread) --------------------------------------------------------------

  private void requestReconcile() {
    if (closed || !reconcileQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      loader.execute(() -> {
        reconcileQueued.set(false);
        reconcile();
      });
    } catch (RejectedExecutionException e) {
      reconcileQueued.set(false); // closing
    }
  }

  private void reconcile() {
    if (closed) {
      return;
    }
    Optional<TopicImage> topic = metadata.image().topic(OFFSETS_TOPIC);
    boolean retry = false;
    for (int p = 0; p < numPartitions; p++) {
      boolean leads = topic.isPresent() && p < topic.get().numPartitions()
          && topic.get().partition(p).leader() == nodeId;
      Optional<GroupCoordinator> slot = slots.get(p);
      if (leads && slot == null) {
        TopicPartition tp = new TopicPartition(OFFSETS_TOPIC, p);
        Optional<Partition> replica = replicas.partition(tp);
        if (replica.isEmpty() || !replica.get().isLeader()) {
          retry = true; // metadata is ahead of the replica layer
          continue;
        }
        try {
          load(tp, replica.get());
        } catch (RuntimeException e) {
          // Our own records do not replay: the groups of this partition stay unavailable
          // (COORDINATOR_LOAD_IN_PROGRESS) rather than be served from partial state.
          log.error("Cannot load the group coordinator of {}", tp, e);
        }
      } else if (!leads && slot != null) {
        slots.remove(p);
        slot.ifPresent(GroupCoordinator::unload);
        log.info("Unloaded the group coordinator of {}-{}", OFFSETS_TOPIC, p);
      }
    }
    if (retry) {
      timer.schedule("reconcile", RECONCILE_RETRY_MS, this::requestReconcile);
    }
  }

  private void load(TopicPartition tp, Partition replica) {
    long startMs = time.milliseconds();
    slots.put(tp.partition(), Optional.empty());
    GroupCoordinator coordinator = new GroupCoordinator(tp.partition(), time, timer, config,
        new OffsetsTopicStore(tp, replicas, time), random);
    long offset = replica.logStartOffset();
    long records = 0;
    // To the log end, not the high watermark: a new leader's lags the old one's by a fetch,
    // and what lies between (a member's leave, a commit) is already acknowledged.
    while (offset < replica.logEndOffset()) {
      ReadResult read = replica.readToLogEnd(offset, LOAD_READ_BYTES);
      if (read.records() == null || read.records().length() == 0) {
        break;
      }
      ByteBuffer buf = readFully(read.records());
      long[] count = {0};
      long next = CoordinatorBatches.forEachRecord(buf, r -> {
        count[0]++;
        coordinator.replay(r);
      });
      Checks.state(next > offset, "%s: no whole batch at offset %s (%s bytes read)", tp, offset,
          buf.limit());
      records += count[0];
      offset = next;
    }
    coordinator.completeLoad();
    slots.put(tp.partition(), Optional.of(coordinator));
    log.info("Loaded the group coordinator of {}: {} records, {} groups, in {} ms", tp, records,
        coordinator.groupCount(), time.milliseconds() - startMs);
  }

  private static ByteBuffer readFully(FileRegion region) {
    ByteBuffer buf = ByteBuffer.allocate(region.length());
    try {
      while (buf.hasRemaining()) {
        int n = region.channel().read(buf, region.position() + buf.position());
        Checks.state(n >= 0, "end of file inside a region of %s bytes", region.length());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + OFFSETS_TOPIC + " to load groups", e);
    }
    buf.flip();
    return buf;
  }

  private void scheduleRetentionCheck() {
    timer.schedule("offsets-retention", RETENTION_CHECK_INTERVAL_MS, () -> {
      for (GroupCoordinator c : loadedCoordinators()) {
        int expired = c.expireOffsets();
        if (expired > 0) {
          log.info("Expired {} offsets in {}-{}", expired, OFFSETS_TOPIC, c.partition());
        }
      }
      if (!closed) {
        scheduleRetentionCheck();
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    loader.shutdownNow();
    timer.close();
    slots.values().forEach(s -> s.ifPresent(GroupCoordinator::unload));
    slots.clear();
  }
}
