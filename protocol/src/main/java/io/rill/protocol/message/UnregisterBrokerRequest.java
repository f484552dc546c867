package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;

/**
 * UnregisterBroker request (key 64), v0, flexible (KIP-631): remove a broker's registration
 * from the cluster metadata ({@code kafka-cluster unregister}).
 */
public final class UnregisterBrokerRequest {
  public static final Field<Integer> BROKER_ID = Field.int32("BrokerId");

  public static final Schema SCHEMA = Schema.of("UnregisterBrokerRequest", BROKER_ID);

  private UnregisterBrokerRequest() {}
}
