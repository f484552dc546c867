package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeCluster response (key 60), v0-1, flexible from v0 (KIP-700). v1 added EndpointType,
 * echoing the request's (KIP-919). v2 (IsFenced) is not advertised.
 */
public final class DescribeClusterResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE = Field.string("ErrorMessage").nullableSince(0);
  public static final Field<Byte> ENDPOINT_TYPE =
      Field.int8("EndpointType").since(1).defaultsTo(DescribeClusterRequest.ENDPOINT_TYPE_BROKERS);
  public static final Field<String> CLUSTER_ID = Field.string("ClusterId");
  public static final Field<Integer> CONTROLLER_ID = Field.int32("ControllerId").defaultsTo(-1);

  public static final Field<Integer> BROKER_ID = Field.int32("BrokerId");
  public static final Field<String> BROKER_HOST = Field.string("Host");
  public static final Field<Integer> BROKER_PORT = Field.int32("Port");
  public static final Field<String> BROKER_RACK = Field.string("Rack").nullableSince(0);
  public static final Schema DESCRIBE_CLUSTER_BROKER = Schema.of("DescribeClusterBroker",
      BROKER_ID, BROKER_HOST, BROKER_PORT, BROKER_RACK);
  public static final Field<List<Struct>> BROKERS =
      Field.array("Brokers", DESCRIBE_CLUSTER_BROKER);

  public static final Field<Integer> CLUSTER_AUTHORIZED_OPERATIONS =
      Field.int32("ClusterAuthorizedOperations")
          .defaultsTo(MetadataResponse.AUTHORIZED_OPERATIONS_OMITTED);

  public static final Schema SCHEMA = Schema.of("DescribeClusterResponse",
      THROTTLE_TIME_MS, ERROR_CODE, ERROR_MESSAGE, ENDPOINT_TYPE, CLUSTER_ID, CONTROLLER_ID,
      BROKERS, CLUSTER_AUTHORIZED_OPERATIONS);

  private DescribeClusterResponse() {}
}
