package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * DescribeConfigs request (key 32), v1-4. v0 was removed by KIP-896; v1 added IncludeSynonyms
 * (KIP-226), v2 is v1 again, v3 added IncludeDocumentation (KIP-569), v4 turned flexible
 * (KIP-482).
 */
public final class DescribeConfigsRequest {
  /** 2 = topic, 4 = broker, 8 = broker logger, 16 = client metrics, 32 = group. */
  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  /** Null for every config of the resource. */
  public static final Field<List<String>> CONFIGURATION_KEYS =
      Field.<String>arrayOf("ConfigurationKeys", Primitive.STRING).nullableSince(0);
  public static final Schema RESOURCE = Schema.of("DescribeConfigsResource",
      RESOURCE_TYPE, RESOURCE_NAME, CONFIGURATION_KEYS);

  public static final Field<List<Struct>> RESOURCES = Field.array("Resources", RESOURCE);
  public static final Field<Boolean> INCLUDE_SYNONYMS = Field.bool("IncludeSynonyms").since(1);
  public static final Field<Boolean> INCLUDE_DOCUMENTATION =
      Field.bool("IncludeDocumentation").since(3);

  public static final Schema SCHEMA = Schema.of("DescribeConfigsRequest",
      RESOURCES, INCLUDE_SYNONYMS, INCLUDE_DOCUMENTATION);

  private DescribeConfigsRequest() {}
}
