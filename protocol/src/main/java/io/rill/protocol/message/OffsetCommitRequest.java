package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * OffsetCommit request (key 8), v2-9. v2-4 carry a retention time, which v5 dropped (the broker's
 * offsets.retention.minutes decides); v6 added the committed leader epoch for fencing (KIP-320);
 * v7 the static member's GroupInstanceId (KIP-345); v8 is flexible; v9 is v8 usable by KIP-848
 * consumers. (v10, unstable in kafka-clients 4.1, replaces topic names by topic ids; not served.)
 */
public final class OffsetCommitRequest {
  public static final Field<String> GROUP_ID = Field.string("GroupId");
  /** The classic group's generation, or a KIP-848 member epoch; -1 for a simple (admin) commit. */
  public static final Field<Integer> GENERATION_ID_OR_MEMBER_EPOCH =
      Field.int32("GenerationIdOrMemberEpoch").since(1).defaultsTo(-1);
  public static final Field<String> MEMBER_ID = Field.string("MemberId").since(1);
  public static final Field<String> GROUP_INSTANCE_ID =
      Field.string("GroupInstanceId").since(7).nullableSince(7).defaultsTo(null);
  /** -1: the broker's default retention. */
  public static final Field<Long> RETENTION_TIME_MS =
      Field.int64("RetentionTimeMs").versions(2, 4).defaultsTo(-1L);

  public static final Field<Integer> PARTITION_INDEX = Field.int32("PartitionIndex");
  public static final Field<Long> COMMITTED_OFFSET = Field.int64("CommittedOffset");
  public static final Field<Integer> COMMITTED_LEADER_EPOCH =
      Field.int32("CommittedLeaderEpoch").since(6).defaultsTo(-1);
  public static final Field<String> COMMITTED_METADATA =
      Field.string("CommittedMetadata").nullableSince(0).defaultsTo("");
  public static final Schema PARTITION = Schema.of("OffsetCommitRequestPartition",
      PARTITION_INDEX, COMMITTED_OFFSET, COMMITTED_LEADER_EPOCH, COMMITTED_METADATA);

  public static final Field<String> TOPIC_NAME = Field.string("Name");
  public static final Field<List<Struct>> PARTITIONS = Field.array("Partitions", PARTITION);
  public static final Schema TOPIC = Schema.of("OffsetCommitRequestTopic", TOPIC_NAME, PARTITIONS);
  public static final Field<List<Struct>> TOPICS = Field.array("Topics", TOPIC);

  public static final Schema SCHEMA = Schema.of("OffsetCommitRequest",
      GROUP_ID, GENERATION_ID_OR_MEMBER_EPOCH, MEMBER_ID, GROUP_INSTANCE_ID, RETENTION_TIME_MS,
      TOPICS);

  private OffsetCommitRequest() {}
}
