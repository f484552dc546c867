package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * DescribeAcls request (key 29), v1-3, flexible from v2. Kafka 4 removed v0; v1 added the
 * pattern type filter (KIP-290). A broker without an authorizer answers SECURITY_DISABLED.
 */
public final class DescribeAclsRequest {
  /** PatternType LITERAL, the filter's default before v1. */
  public static final byte PATTERN_TYPE_LITERAL = 3;

  public static final Field<Byte> RESOURCE_TYPE_FILTER = Field.int8("ResourceTypeFilter");
  public static final Field<String> RESOURCE_NAME_FILTER =
      Field.string("ResourceNameFilter").nullableSince(0);
  public static final Field<Byte> PATTERN_TYPE_FILTER =
      Field.int8("PatternTypeFilter").since(1).defaultsTo(PATTERN_TYPE_LITERAL);
  public static final Field<String> PRINCIPAL_FILTER =
      Field.string("PrincipalFilter").nullableSince(0);
  public static final Field<String> HOST_FILTER = Field.string("HostFilter").nullableSince(0);
  public static final Field<Byte> OPERATION = Field.int8("Operation");
  public static final Field<Byte> PERMISSION_TYPE = Field.int8("PermissionType");

  public static final Schema SCHEMA = Schema.of("DescribeAclsRequest", RESOURCE_TYPE_FILTER,
      RESOURCE_NAME_FILTER, PATTERN_TYPE_FILTER, PRINCIPAL_FILTER, HOST_FILTER, OPERATION,
      PERMISSION_TYPE);

  private DescribeAclsRequest() {}
}
