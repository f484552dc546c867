package io.rill.broker.group;

import io.rill.broker.log.TopicPartition;
import java.util.List;

/**
 * What a group coordinator writes to its {@code __consumer_offsets} partition and replays on
 * load, in log order: committed offsets and group metadata, each with its tombstone. The log is
 * keyed (one live value per group, per group-topic-partition), so replay keeps the last value
 * of each key and a tombstone removes it.
 */
public sealed interface CoordinatorRecord {
  String groupId();

  /** A committed offset of one partition. */
  record OffsetCommit(String groupId, TopicPartition partition, OffsetAndMetadata offset)
      implements CoordinatorRecord {}

  /** The offset of {@code partition} was deleted or expired. */
  record OffsetTombstone(String groupId, TopicPartition partition) implements CoordinatorRecord {}

  /** A group's membership as of its last completed rebalance (or its becoming Empty). */
  record GroupMetadata(String groupId, String protocolType, int generationId, String protocolName,
      String leaderId, long currentStateTimestampMs, List<MemberRecord> members)
      implements CoordinatorRecord {
    public GroupMetadata {
      members = List.copyOf(members);
    }
  }

  /** The group was deleted, or died when its last offset expired. */
  record GroupTombstone(String groupId) implements CoordinatorRecord {}

  /** One member as stored in {@link GroupMetadata}; {@code groupInstanceId} "" when dynamic. */
  record MemberRecord(String memberId, String groupInstanceId, String clientId, String clientHost,
      int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {}
}
