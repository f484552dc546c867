package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * InitProducerId response (key 22), v0-5: the same four fields throughout; v2 is flexible.
 * ProducerId -1 and epoch -1 accompany an error.
 */
public final class InitProducerIdResponse {
  public static final Field<Integer> THROTTLE_TIME_MS = Field.int32("ThrottleTimeMs");
  public static final Field<Short> ERROR_CODE = Field.int16("ErrorCode");
  public static final Field<Long> PRODUCER_ID = Field.int64("ProducerId").defaultsTo(-1L);
  public static final Field<Short> PRODUCER_EPOCH = Field.int16("ProducerEpoch");

  public static final Schema SCHEMA = Schema.of("InitProducerIdResponse",
      THROTTLE_TIME_MS, ERROR_CODE, PRODUCER_ID, PRODUCER_EPOCH);

  private InitProducerIdResponse() {}
}
