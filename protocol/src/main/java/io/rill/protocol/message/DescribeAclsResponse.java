package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/** DescribeAcls response (key 29), v1-3, flexible from v2. */
public final class DescribeAclsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE = Field.string("ErrorMessage").nullableSince(0);

  public static final Field<String> ACL_PRINCIPAL = Field.string("Principal");
  public static final Field<String> ACL_HOST = Field.string("Host");
  public static final Field<Byte> ACL_OPERATION = Field.int8("Operation");
  public static final Field<Byte> ACL_PERMISSION_TYPE = Field.int8("PermissionType");
  public static final Schema ACL_DESCRIPTION = Schema.of("AclDescription", ACL_PRINCIPAL,
      ACL_HOST, ACL_OPERATION, ACL_PERMISSION_TYPE);

  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  public static final Field<Byte> PATTERN_TYPE = Field.int8("PatternType").since(1)
      .defaultsTo(DescribeAclsRequest.PATTERN_TYPE_LITERAL);
  public static final Field<List<Struct>> ACLS = Field.array("Acls", ACL_DESCRIPTION);
  public static final Schema RESOURCE = Schema.of("DescribeAclsResource", RESOURCE_TYPE,
      RESOURCE_NAME, PATTERN_TYPE, ACLS);
  public static final Field<List<Struct>> RESOURCES = Field.array("Resources", RESOURCE);

  public static final Schema SCHEMA = Schema.of("DescribeAclsResponse", THROTTLE_TIME_MS,
      ERROR_CODE, ERROR_MESSAGE, RESOURCES);

  private DescribeAclsResponse() {}
}
