package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * DescribeConfigs response (key 32), v1-4. v1 replaced v0's IsDefault with ConfigSource and
 * added Synonyms (KIP-226), v2 is v1 again, v3 added ConfigType and Documentation (KIP-569), v4
 * turned flexible (KIP-482).
 *
 * <p>librdkafka's test suite expects every config of a resource when no keys were asked for.
 */
public final class DescribeConfigsResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");

  public static final Field<String> SYNONYM_NAME = Field.string("Name").since(1);
  public static final Field<String> SYNONYM_VALUE =
      Field.string("Value").since(1).nullableSince(0).defaultsTo("");
  public static final Field<Byte> SYNONYM_SOURCE = Field.int8("Source").since(1);
  public static final Schema SYNONYM = Schema.of("DescribeConfigsSynonym",
      SYNONYM_NAME, SYNONYM_VALUE, SYNONYM_SOURCE);

  public static final Field<String> CONFIG_NAME = Field.string("Name");
  public static final Field<String> CONFIG_VALUE =
      Field.string("Value").nullableSince(0).defaultsTo("");
  public static final Field<Boolean> CONFIG_READ_ONLY = Field.bool("ReadOnly");
  /**
   * 0 unknown, 1 topic, 2 dynamic broker, 3 dynamic default broker, 4 static broker, 5 default,
   * 6 dynamic broker logger, 7 client metrics, 8 group. The field's default is -1 all the same.
   */
  public static final Field<Byte> CONFIG_SOURCE =
      Field.int8("ConfigSource").since(1).defaultsTo((byte) -1);
  public static final Field<Boolean> CONFIG_IS_SENSITIVE = Field.bool("IsSensitive");
  public static final Field<List<Struct>> CONFIG_SYNONYMS =
      Field.array("Synonyms", SYNONYM).since(1);
  /** 0 unknown, 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list, 8 class, 9 password. */
  public static final Field<Byte> CONFIG_TYPE = Field.int8("ConfigType").since(3);
  public static final Field<String> CONFIG_DOCUMENTATION =
      Field.string("Documentation").since(3).nullableSince(0).defaultsTo("");
  public static final Schema CONFIG = Schema.of("DescribeConfigsResourceResult",
      CONFIG_NAME, CONFIG_VALUE, CONFIG_READ_ONLY, CONFIG_SOURCE, CONFIG_IS_SENSITIVE,
      CONFIG_SYNONYMS, CONFIG_TYPE, CONFIG_DOCUMENTATION);

  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<String> ERROR_MESSAGE =
      Field.string("ErrorMessage").nullableSince(0).defaultsTo("");
  public static final Field<Byte> RESOURCE_TYPE = Field.int8("ResourceType");
  public static final Field<String> RESOURCE_NAME = Field.string("ResourceName");
  public static final Field<List<Struct>> CONFIGS = Field.array("Configs", CONFIG);
  public static final Schema RESULT = Schema.of("DescribeConfigsResult",
      ERROR_CODE, ERROR_MESSAGE, RESOURCE_TYPE, RESOURCE_NAME, CONFIGS);

  public static final Field<List<Struct>> RESULTS = Field.array("Results", RESULT);

  public static final Schema SCHEMA = Schema.of("DescribeConfigsResponse",
      THROTTLE_TIME_MS, RESULTS);

  private DescribeConfigsResponse() {}
}
