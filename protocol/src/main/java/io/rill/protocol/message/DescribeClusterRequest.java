package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * DescribeCluster request (key 60), v0-1, flexible from v0 (KIP-700). v1 added EndpointType
 * (KIP-919: 1 brokers, 2 controllers). v2 (IncludeFencedBrokers) is not advertised.
 */
public final class DescribeClusterRequest {
  /** The EndpointType value that asks for brokers, Kafka's default. */
  public static final byte ENDPOINT_TYPE_BROKERS = 1;

  public static final Field<Boolean> INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS =
      Field.bool("IncludeClusterAuthorizedOperations");
  public static final Field<Byte> ENDPOINT_TYPE =
      Field.int8("EndpointType").since(1).defaultsTo(ENDPOINT_TYPE_BROKERS);

  public static final Schema SCHEMA = Schema.of("DescribeClusterRequest",
      INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS, ENDPOINT_TYPE);

  private DescribeClusterRequest() {}
}
