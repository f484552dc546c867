package io.rill.broker.group;

import io.rill.broker.group.CoordinatorRecord.OffsetCommit;
import io.rill.broker.group.CoordinatorRecord.OffsetTombstone;
import io.rill.broker.log.Time;
import io.rill.broker.log.TopicPartition;
import io.rill.protocol.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Committed offsets of one coordinator's groups: commit (validated by the caller), delete and
 * expire. Each writes its records through the store and applies them only once stored.
 *
 * <p>Expiration (KIP-211): an Empty group's offsets expire together, {@code
 * offsets.retention.minutes} after the later of the group becoming Empty and the commit; a
 * group that never had members (commits from an admin or a manually assigned consumer) has each
 * offset expire that long after its commit; a live consumer group keeps the offsets of the
 * topics it subscribes to and expires the others by commit time.
 *
 * <p>Runs under the owning {@link GroupCoordinator}'s lock.
 */
final class OffsetOps {
  /** OffsetDelete's answer: a group-level error, else one error per partition. */
  record DeleteResult(Errors error, Map<TopicPartition, Errors> partitions) {}

  private final Time time;
  private final GroupConfig config;
  private final CoordinatorStore store;

  OffsetOps(Time time, GroupConfig config, CoordinatorStore store) {
    this.time = time;
    this.config = config;
    this.store = store;
  }

  Map<TopicPartition, Errors> commit(ClassicGroup g,
      Map<TopicPartition, OffsetAndMetadata> offsets) {
    long now = time.milliseconds();
    Map<TopicPartition, Errors> results = new LinkedHashMap<>();
    List<CoordinatorRecord> records = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> accepted = new LinkedHashMap<>();
    offsets.forEach((tp, o) -> {
      if (o.metadata().getBytes(StandardCharsets.UTF_8).length
          > config.offsetMetadataMaxBytes()) {
        results.put(tp, Errors.OFFSET_METADATA_TOO_LARGE);
      } else {
        OffsetAndMetadata stamped = new OffsetAndMetadata(o.offset(), o.leaderEpoch(),
            o.metadata(), now);
        accepted.put(tp, stamped);
        records.add(new OffsetCommit(g.groupId, tp, stamped));
      }
    });
    if (!records.isEmpty()) {
      Errors stored = store.append(records);
      if (stored == Errors.NONE) {
        g.offsets.putAll(accepted);
      }
      Errors error = Rebalancer.storeErrorForClient(stored);
      accepted.keySet().forEach(tp -> results.put(tp, error));
    }
    return results;
  }

  DeleteResult delete(ClassicGroup g, List<TopicPartition> partitions) {
    Set<String> subscribed;
    if (g.is(GroupState.EMPTY)) {
      subscribed = Set.of();
    } else {
      Optional<Set<String>> topics = g.subscribedTopics();
      if (topics.isEmpty()) {
        return new DeleteResult(Errors.NON_EMPTY_GROUP, Map.of());
      }
      subscribed = topics.get();
    }
    Map<TopicPartition, Errors> results = new LinkedHashMap<>();
    List<CoordinatorRecord> records = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (subscribed.contains(tp.topic())) {
        results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
      } else {
        results.put(tp, Errors.NONE);
        if (g.offsets.containsKey(tp)) {
          records.add(new OffsetTombstone(g.groupId, tp));
        }
      }
    }
    if (!records.isEmpty()) {
      Errors stored = store.append(records);
      if (stored != Errors.NONE) {
        return new DeleteResult(Rebalancer.storeErrorForClient(stored), Map.of());
      }
      records.forEach(r -> g.offsets.remove(((OffsetTombstone) r).partition()));
    }
    return new DeleteResult(Errors.NONE, results);
  }

  int expire(ClassicGroup g) {
    long now = time.milliseconds();
    long retention = config.offsetsRetentionMs();
    List<CoordinatorRecord> records = new ArrayList<>();
    boolean neverHadMembers = g.protocolType == null;
    Set<String> subscribed = g.is(GroupState.EMPTY) || neverHadMembers ? Set.of()
        : g.subscribedTopics().orElse(null);
    if (subscribed == null) {
      return 0; // a live group of another protocol: its offsets stay while it lives
    }
    g.offsets.forEach((tp, o) -> {
      long base;
      if (g.is(GroupState.EMPTY) && !neverHadMembers) {
        base = Math.max(g.stateTimestampMs, o.commitTimestampMs());
      } else if (neverHadMembers || !subscribed.contains(tp.topic())) {
        base = o.commitTimestampMs();
      } else {
        return;
      }
      if (now >= base + retention) {
        records.add(new OffsetTombstone(g.groupId, tp));
      }
    });
    if (records.isEmpty() || store.append(records) != Errors.NONE) {
      return 0;
    }
    records.forEach(r -> g.offsets.remove(((OffsetTombstone) r).partition()));
    return records.size();
  }
}
