package io.rill.metadata.raft;

import io.rill.metadata.MetadataListener;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.ControllerQuery;
import io.rill.metadata.command.ControllerQueryResponse;
import io.rill.metadata.command.ControllerResponse;
import io.rill.metadata.command.FetchMetadataResponse;
import io.rill.metadata.command.OffsetRecords;
import io.rill.metadata.image.ImageRecords;
import io.rill.protocol.Errors;
import java.util.Optional;
import io.rill.metadata.controller.ControllerResult;
import io.rill.metadata.controller.MetadataController;
import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.util.Checks;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: the log holds controller <em>commands</em>; apply runs the pure
 * {@link MetadataController} on the image at that index, replays the resulting records into the
 * next image and answers the command through the apply future (ratis-notes.md §5: validate in
 * apply, not in the concurrent pre-append {@code startTransaction}, which cannot see pending
 * entries). Apply uses nothing but the image, the command and its index, so every replica
 * computes the same image.
 *
 * <p>Threads: Ratis calls apply, snapshot and lifecycle methods from its state-machine updater
 * thread, one at a time, and the event hooks from its server threads. {@code lock} keeps the
 * image and the last applied TermIndex consistent for {@link #takeSnapshot} and orders listener
 * calls with {@link #addListener}. The image field is volatile: any thread may read it.
 *
 * <p>Errors: a command that cannot be parsed, or records that cannot be replayed, are bugs in
 * what we wrote; they throw, and Ratis stops the server rather than let replicas diverge.
 */
final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  /** Callbacks to the node that owns this state machine about Raft roles. */
  interface RoleListener {
    void onLeaderChanged(RaftPeerId leader);

    void onLeaderReady();

    void onNotLeader();
  }

  /** Answers the read-only requests Ratis routes to this node while it leads. */
  interface QueryHandler {
    CompletableFuture<ControllerQueryResponse> query(ControllerQuery query);
  }

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
  private final RoleListener roles;
  private volatile QueryHandler queries;
  private final Object lock = new Object();
  private volatile MetadataImage image = MetadataImage.EMPTY;
  /** Guarded by {@code lock}: always agrees with {@link #image}. */
  private final MetadataJournal journal = new MetadataJournal();
  /** Completed (and replaced) by each apply; guarded by {@code lock}. */
  private CompletableFuture<Void> nextApply = new CompletableFuture<>();
  /**
   * Raft index of the last command (or snapshot) that changed the image, i.e. of the last image
   * handed to listeners; guarded by {@code lock}. A command that changes nothing is not
   * published, so its answer names this offset: a broker waiting for its own image to reach the
   * command's own index would wait for an image that never comes (Kafka Connect's CreateTopics
   * of its existing topics took 2 s each, the broker's wait bound).
   */
  private long changedOffset = -1;
  /** Raft index of the snapshot last loaded (-1: none); for tests and diagnostics. */
  private volatile long loadedSnapshotIndex = -1;

  MetadataStateMachine(RoleListener roles) {
    this.roles = roles;
  }

  MetadataImage image() {
    return image;
  }

  void setQueryHandler(QueryHandler handler) {
    this.queries = handler;
  }

  /**
   * Completes with the first image whose offset is above {@code offset} (maybe at once), or
   * with the current one once {@code deadlineNs} has passed and the next apply or {@link
   * #wakeWaiters} came: a waiter is never kept past that, so long polls on a quiet cluster do
   * not pile up.
   */
  CompletableFuture<MetadataImage> imageAbove(long offset, long deadlineNs) {
    CompletableFuture<Void> next;
    synchronized (lock) {
      if (image.offset() > offset || System.nanoTime() >= deadlineNs) {
        return CompletableFuture.completedFuture(image);
      }
      next = nextApply;
    }
    return next.thenCompose(v -> imageAbove(offset, deadlineNs));
  }

  /** Wakes every waiter of {@link #imageAbove}; those past their deadline complete. */
  void wakeWaiters() {
    CompletableFuture<Void> woken;
    synchronized (lock) {
      woken = nextApply;
      nextApply = new CompletableFuture<>();
    }
    woken.complete(null);
  }

  /**
   * What a broker at {@code fromOffset} lacks: the journal's records after it, or, when the
   * journal no longer reaches back that far, the whole image as one batch to replay onto an
   * empty one.
   */
  FetchMetadataResponse recordsSince(long fromOffset) {
    synchronized (lock) {
      Optional<List<OffsetRecords>> tail = journal.since(fromOffset);
      if (tail.isPresent()) {
        return FetchMetadataResponse.newBuilder().addAllBatches(tail.get()).build();
      }
      return FetchMetadataResponse.newBuilder().setReset(true)
          .addBatches(OffsetRecords.newBuilder().setOffset(image.offset())
              .addAllRecords(ImageRecords.of(image)))
          .build();
    }
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    ControllerQuery q;
    try {
      q = ControllerQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a query", e));
    }
    QueryHandler handler = queries;
    if (handler == null) {
      return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(
          ControllerQueryResponse.newBuilder().setErrorCode(Errors.NOT_CONTROLLER.code).build()
              .toByteArray())));
    }
    return handler.query(q).thenApply(
        r -> Message.valueOf(UnsafeByteOperations.unsafeWrap(r.toByteArray())));
  }

  long loadedSnapshotIndex() {
    return loadedSnapshotIndex;
  }

  void addListener(MetadataListener listener) {
    synchronized (lock) {
      listeners.add(listener);
      listener.onUpdate(MetadataDelta.between(MetadataImage.EMPTY, image));
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      loadLatestSnapshot();
    });
  }

  /** Ratis pauses us before installing a leader's snapshot; reload() asserts PAUSED. */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /** After a snapshot install: re-scan disk (RATIS-2111) and load the newest snapshot. */
  @Override
  public void reinitialize() throws IOException {
    storage.loadLatestSnapshot();
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5Hash expected = snapshot.getFile().getFileDigest();
    if (expected != null) {
      MD5Hash actual = MD5FileUtil.computeMd5ForFile(file);
      Checks.state(expected.equals(actual), "snapshot %s: md5 %s, expected %s", file, actual,
          expected);
    }
    SnapshotFile.Loaded loaded = SnapshotFile.read(file.toPath());
    TermIndex ti = snapshot.getTermIndex();
    Checks.state(loaded.header().getIndex() == ti.getIndex(),
        "snapshot %s says index %s, its name %s", file, loaded.header().getIndex(), ti);
    synchronized (lock) {
      MetadataImage previous = image;
      image = loaded.image();
      journal.reset(image.offset());
      setLastAppliedTermIndex(ti);
      loadedSnapshotIndex = ti.getIndex();
      changedOffset = ti.getIndex();
      publish(previous, image);
    }
    LOG.info("Loaded metadata snapshot {} ({} topics, {} brokers)", ti,
        image.topics().size(), image.brokers().size());
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    ControllerCommand command;
    try {
      command = ControllerCommand.parseFrom(
          entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("metadata log entry " + index + " is not a command", e);
    }
    ControllerResponse response;
    CompletableFuture<Void> applied;
    synchronized (lock) {
      MetadataImage previous = image;
      ControllerResult<ControllerResponse> result =
          MetadataController.execute(previous, command, index);
      ImageBuilder builder = previous.toBuilder();
      builder.replayAll(result.records());
      image = builder.build(index);
      journal.append(index, result.records());
      updateLastAppliedTermIndex(entry.getTerm(), index);
      applied = nextApply;
      nextApply = new CompletableFuture<>();
      if (!result.records().isEmpty()) {
        changedOffset = index;
        publish(previous, image);
      }
      response = result.response().toBuilder().setMetadataOffset(changedOffset).build();
    }
    applied.complete(null);
    return CompletableFuture.completedFuture(
        Message.valueOf(UnsafeByteOperations.unsafeWrap(response.toByteArray())));
  }

  /** Non-command entries (configuration, metadata) still advance the applied index. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    synchronized (lock) {
      super.notifyTermIndexUpdated(term, index);
    }
  }

  private void publish(MetadataImage previous, MetadataImage current) {
    if (listeners.isEmpty()) {
      return;
    }
    MetadataDelta delta = MetadataDelta.between(previous, current);
    for (MetadataListener l : listeners) {
      l.onUpdate(delta);
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    MetadataImage snap;
    TermIndex ti;
    synchronized (lock) {
      snap = image;
      ti = getLastAppliedTermIndex();
    }
    if (ti == null || ti.getIndex() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    if (latest != null && latest.getIndex() == ti.getIndex()) {
      return ti.getIndex();
    }
    File file = storage.getSnapshotFile(ti.getTerm(), ti.getIndex());
    SnapshotFile.write(file.toPath(), snap, ti.getTerm(), ti.getIndex());
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), ti));
    LOG.info("Wrote metadata snapshot {} at {}", file.getName(), ti);
    return ti.getIndex();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    roles.onLeaderChanged(newLeaderId);
  }

  @Override
  public void notifyLeaderReady() {
    roles.onLeaderReady();
  }

  @Override
  public void notifyNotLeader(java.util.Collection<TransactionContext> pending) {
    roles.onNotLeader();
  }
}
