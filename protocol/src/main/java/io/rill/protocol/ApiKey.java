package io.rill.protocol;

import io.rill.protocol.schema.Versions;

/**
 * The Kafka APIs Rill knows, with the version ranges ApiVersions advertises for each. A broker
 * advertises only the APIs it registers a handler for, so an API may be listed here (schemas,
 * codec tests) before any node serves it.
 *
 * <p>Some minimums are 0 although we cannot serve version 0 (Produce): older librdkafka
 * checks for v0 when it detects features and Kafka 4 put them back for that reason
 * (KAFKA-18659, KAFKA-19444). {@link #lowestServed} is what the broker actually handles;
 * anything between the advertised minimum and it gets UNSUPPORTED_VERSION.
 *
 * <p>{@link #flexibleSince} is the first version with compact types and tagged fields
 * (KIP-482); {@link Short#MAX_VALUE} when no version is flexible.
 */
public enum ApiKey {
  PRODUCE(0, "Produce", 0, 12, 3, 9),
  FETCH(1, "Fetch", 4, 17, 4, 12),
  LIST_OFFSETS(2, "ListOffsets", 1, 8, 1, 6),
  METADATA(3, "Metadata", 0, 12, 0, 9),
  OFFSET_COMMIT(8, "OffsetCommit", 2, 9, 2, 8),
  OFFSET_FETCH(9, "OffsetFetch", 1, 9, 1, 6),
  FIND_COORDINATOR(10, "FindCoordinator", 0, 6, 0, 3),
  JOIN_GROUP(11, "JoinGroup", 0, 9, 0, 6),
  HEARTBEAT(12, "Heartbeat", 0, 4, 0, 4),
  LEAVE_GROUP(13, "LeaveGroup", 0, 5, 0, 4),
  SYNC_GROUP(14, "SyncGroup", 0, 5, 0, 4),
  DESCRIBE_GROUPS(15, "DescribeGroups", 0, 5, 0, 5),
  LIST_GROUPS(16, "ListGroups", 0, 5, 0, 3),
  API_VERSIONS(18, "ApiVersions", 0, 4, 0, 3),
  CREATE_TOPICS(19, "CreateTopics", 2, 7, 2, 5),
  DELETE_TOPICS(20, "DeleteTopics", 1, 6, 1, 4),
  DELETE_RECORDS(21, "DeleteRecords", 0, 2, 0, 2),
  INIT_PRODUCER_ID(22, "InitProducerId", 0, 5, 0, 2),
  OFFSET_FOR_LEADER_EPOCH(23, "OffsetForLeaderEpoch", 2, 4, 2, 4),
  DESCRIBE_ACLS(29, "DescribeAcls", 1, 3, 1, 2),
  CREATE_ACLS(30, "CreateAcls", 1, 3, 1, 2),
  DESCRIBE_CONFIGS(32, "DescribeConfigs", 1, 4, 1, 4),
  ALTER_CONFIGS(33, "AlterConfigs", 0, 2, 0, 2),
  DESCRIBE_LOG_DIRS(35, "DescribeLogDirs", 1, 4, 1, 2),
  CREATE_PARTITIONS(37, "CreatePartitions", 0, 3, 0, 2),
  DELETE_GROUPS(42, "DeleteGroups", 0, 2, 0, 2),
  ELECT_LEADERS(43, "ElectLeaders", 0, 2, 0, 2),
  INCREMENTAL_ALTER_CONFIGS(44, "IncrementalAlterConfigs", 0, 1, 0, 1),
  ALTER_PARTITION_REASSIGNMENTS(45, "AlterPartitionReassignments", 0, 1, 0, 0),
  LIST_PARTITION_REASSIGNMENTS(46, "ListPartitionReassignments", 0, 0, 0, 0),
  OFFSET_DELETE(47, "OffsetDelete", 0, 0, 0, Short.MAX_VALUE),
  DESCRIBE_QUORUM(55, "DescribeQuorum", 0, 2, 0, 0),
  DESCRIBE_CLUSTER(60, "DescribeCluster", 0, 1, 0, 0),
  UNREGISTER_BROKER(64, "UnregisterBroker", 0, 0, 0, 0);

  private static final ApiKey[] BY_ID = new ApiKey[65];

  static {
    for (ApiKey key : values()) {
      BY_ID[key.id] = key;
    }
  }

  public final short id;
  /** Kafka's name of the API, as clients log it. */
  public final String title;
  public final Versions advertised;
  public final short lowestServed;
  public final short flexibleSince;

  ApiKey(int id, String title, int lowest, int highest, int lowestServed, int flexibleSince) {
    this.id = (short) id;
    this.title = title;
    this.advertised = Versions.range(lowest, highest);
    this.lowestServed = (short) lowestServed;
    this.flexibleSince = (short) flexibleSince;
  }

  /** The API for a wire id, or null for one we do not serve. */
  public static ApiKey forId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }

  /** Whether {@code version} uses compact types and tagged fields (KIP-482). */
  public boolean isFlexible(short version) {
    return version >= flexibleSince;
  }

  /** Whether the broker can decode and answer this version. */
  public boolean isServed(short version) {
    return version >= lowestServed && version <= advertised.highest();
  }
}
