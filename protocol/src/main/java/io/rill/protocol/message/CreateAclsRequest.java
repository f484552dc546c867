package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * CreateAcls request (key 30), v1-3, flexible from v2. Kafka 4 removed v0; v1 added the
 * resource pattern type (KIP-290). A broker without an authorizer answers SECURITY_DISABLED.
 */
public final class CreateAclsRequest {
  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  public static final Field<Byte> RESOURCE_PATTERN_TYPE = Field.int8("ResourcePatternType")
      .since(1).defaultsTo(DescribeAclsRequest.PATTERN_TYPE_LITERAL);
  public static final Field<String> PRINCIPAL = Field.string("Principal");
  public static final Field<String> HOST = Field.string("Host");
  public static final Field<Byte> OPERATION = Field.int8("Operation");
  public static final Field<Byte> PERMISSION_TYPE = Field.int8("PermissionType");
  public static final Schema CREATION = Schema.of("AclCreation", RESOURCE_TYPE, RESOURCE_NAME,
      RESOURCE_PATTERN_TYPE, PRINCIPAL, HOST, OPERATION, PERMISSION_TYPE);
  public static final Field<List<Struct>> CREATIONS = Field.array("Creations", CREATION);

  public static final Schema SCHEMA = Schema.of("CreateAclsRequest", CREATIONS);

  private CreateAclsRequest() {}
}
