package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import java.util.List;

/**
 * ApiVersions response (key 18), v0-4. Its header is always v0 (see ResponseHeader); a request
 * of a version we do not know is answered with a v0 body carrying UNSUPPORTED_VERSION and our
 * full key list, so the client can retry with a version we speak.
 */
public final class ApiVersionsResponse {
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");

  public static final Field<Short> API_KEY = Field.int16("ApiKey");
  public static final Field<Short> MIN_VERSION = Field.int16("MinVersion");
  public static final Field<Short> MAX_VERSION = Field.int16("MaxVersion");
  public static final Schema API_VERSION = Schema.of("ApiVersion", API_KEY, MIN_VERSION, MAX_VERSION);
  public static final Field<List<Struct>> API_KEYS = Field.array("ApiKeys", API_VERSION);

  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs").since(1);

  public static final Field<String> FEATURE_NAME = Field.string("Name");
  public static final Field<Short> FEATURE_MIN_VERSION = Field.int16("MinVersion");
  public static final Field<Short> FEATURE_MAX_VERSION = Field.int16("MaxVersion");
  public static final Schema SUPPORTED_FEATURE = Schema.of("SupportedFeatureKey",
      FEATURE_NAME, FEATURE_MIN_VERSION, FEATURE_MAX_VERSION);
  public static final Field<List<Struct>> SUPPORTED_FEATURES =
      Field.array("SupportedFeatures", SUPPORTED_FEATURE).tagged(0, 3);

  public static final Field<Long> FINALIZED_FEATURES_EPOCH =
      Field.int64("FinalizedFeaturesEpoch").tagged(1, 3).defaultsTo(-1L);

  public static final Field<String> FINALIZED_NAME = Field.string("Name");
  public static final Field<Short> FINALIZED_MAX_LEVEL = Field.int16("MaxVersionLevel");
  public static final Field<Short> FINALIZED_MIN_LEVEL = Field.int16("MinVersionLevel");
  public static final Schema FINALIZED_FEATURE = Schema.of("FinalizedFeatureKey",
      FINALIZED_NAME, FINALIZED_MAX_LEVEL, FINALIZED_MIN_LEVEL);
  public static final Field<List<Struct>> FINALIZED_FEATURES =
      Field.array("FinalizedFeatures", FINALIZED_FEATURE).tagged(2, 3);

  public static final Field<Boolean> ZK_MIGRATION_READY =
      Field.bool("ZkMigrationReady").tagged(3, 3);

  public static final Schema SCHEMA = Schema.of("ApiVersionsResponse",
      ERROR_CODE, API_KEYS, THROTTLE_TIME_MS, SUPPORTED_FEATURES, FINALIZED_FEATURES_EPOCH,
      FINALIZED_FEATURES, ZK_MIGRATION_READY);

  private ApiVersionsResponse() {}
}
