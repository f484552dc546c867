package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * InitProducerId request (key 22), v0-5. TransactionalId is null for an idempotent-only
 * producer (the Java default since 3.0). v1 is unchanged on the wire; v2 is flexible; v3 added
 * ProducerId and ProducerEpoch so a producer can bump its epoch (KIP-360); v4-5 change only the
 * errors the client accepts (KIP-588, KIP-890). v6 (KIP-939, 2PC) is unstable and not declared.
 */
public final class InitProducerIdRequest {
  /** Null for an idempotent-only producer; Kafka's default is "" nonetheless. */
  public static final Field<String> TRANSACTIONAL_ID =
      Field.string("TransactionalId").nullableSince(0).defaultsTo("");
  public static final Field<Integer> TRANSACTION_TIMEOUT_MS = Field.int32("TransactionTimeoutMs");
  public static final Field<Long> PRODUCER_ID = Field.int64("ProducerId").since(3).defaultsTo(-1L);
  public static final Field<Short> PRODUCER_EPOCH =
      Field.int16("ProducerEpoch").since(3).defaultsTo((short) -1);

  public static final Schema SCHEMA = Schema.of("InitProducerIdRequest",
      TRANSACTIONAL_ID, TRANSACTION_TIMEOUT_MS, PRODUCER_ID, PRODUCER_EPOCH);

  private InitProducerIdRequest() {}
}
