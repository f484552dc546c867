package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * DescribeGroups request (key 15), v0-5. v3 added IncludeAuthorizedOperations (KIP-430); v4's
 * response carries members' GroupInstanceId; v5 is flexible. (v6, GROUP_ID_NOT_FOUND and an
 * error message per group, KIP-1043, is not served.)
 */
public final class DescribeGroupsRequest {
  public static final Field<List<String>> GROUPS =
      Field.<String>arrayOf("Groups", Primitive.STRING);
  public static final Field<Boolean> INCLUDE_AUTHORIZED_OPERATIONS =
      Field.bool("IncludeAuthorizedOperations").since(3);

  public static final Schema SCHEMA = Schema.of("DescribeGroupsRequest",
      GROUPS, INCLUDE_AUTHORIZED_OPERATIONS);

  private DescribeGroupsRequest() {}
}
