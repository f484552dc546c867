package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * IncrementalAlterConfigs request (key 44), v0-1: sets, deletes, appends to or subtracts from
 * single configs of each resource, leaving the others alone (KIP-339). v1 turned flexible
 * (KIP-482).
 */
public final class IncrementalAlterConfigsRequest {
  public static final Field<String> CONFIG_NAME = Field.string("Name");
  /** 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT (list-typed configs only for the last two). */
  public static final Field<Byte> CONFIG_OPERATION = Field.int8("ConfigOperation");
  public static final Field<String> CONFIG_VALUE =
      Field.string("Value").nullableSince(0).defaultsTo("");
  public static final Schema CONFIG = Schema.of("AlterableConfig",
      CONFIG_NAME, CONFIG_OPERATION, CONFIG_VALUE);

  /** 2 = topic, 4 = broker, 8 = broker logger, 16 = client metrics, 32 = group. */
  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  public static final Field<List<Struct>> CONFIGS = Field.array("Configs", CONFIG);
  public static final Schema RESOURCE = Schema.of("AlterConfigsResource",
      RESOURCE_TYPE, RESOURCE_NAME, CONFIGS);

  public static final Field<List<Struct>> RESOURCES = Field.array("Resources", RESOURCE);
  public static final Field<Boolean> VALIDATE_ONLY = Field.bool("ValidateOnly");

  public static final Schema SCHEMA = Schema.of("IncrementalAlterConfigsRequest",
      RESOURCES, VALIDATE_ONLY);

  private IncrementalAlterConfigsRequest() {}
}
