package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Message;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Facts of the client API family the oracle cannot see: the defaults a decoder gives fields a
 * version lacks (and that decide whether a tagged field is written) are Kafka's, and the
 * Produce versions 0-2 we advertise but kafka-clients 4.1 no longer speaks have the layout of
 * the versions around them.
 */
class ClientMessagesTest {
  /** The APIs this family registers, ApiVersions aside (it predates the family). */
  static final List<ApiKey> CLIENT_APIS = List.of(ApiKey.PRODUCE, ApiKey.FETCH,
      ApiKey.LIST_OFFSETS, ApiKey.METADATA, ApiKey.DELETE_RECORDS, ApiKey.INIT_PRODUCER_ID,
      ApiKey.OFFSET_FOR_LEADER_EPOCH, ApiKey.DESCRIBE_CLUSTER);

  // ---- defaults ---------------------------------------------------------------------------

  /** Every field's default, nested structs included, equals kafka-clients' default. */
  @TestFactory
  Stream<DynamicTest> everyDefaultIsKafkasDefault() {
    return CLIENT_APIS.stream().flatMap(api -> Stream.of(true, false).map(request ->
        DynamicTest.dynamicTest(api.title + (request ? "Request" : "Response"), () -> {
          Class<?> data = KafkaOracle.dataClass(api, request);
          ApiSchemas schemas = ApiMessages.schemas(api);
          Schema schema = request ? schemas.request() : schemas.response();
          assertDefaults(data, schema, data.getConstructor().newInstance(), schema.name());
        })));
  }

  private static void assertDefaults(Class<?> data, Schema schema, Object kafka, String path)
      throws ReflectiveOperationException {
    for (Field<?> f : schema.fields()) {
      String where = path + "." + f.name();
      Object theirs = kafka.getClass().getMethod(accessor(f.name())).invoke(kafka);
      Object ours = f.newDefault();
      if (f.type() instanceof Type.StructOf s) {
        assertDefaults(data, s.schema(), theirs, where);
      } else if (f.type() instanceof Type.ArrayOf array) {
        assertThat((Collection<?>) theirs).as(where).isEmpty();
        assertThat((List<?>) ours).as(where).isNotNull().isEmpty();
        if (array.element() instanceof Type.StructOf s) {
          Class<?> element = Class.forName(data.getName() + "$" + s.schema().name());
          assertDefaults(data, s.schema(), element.getConstructor().newInstance(), where + "[]");
        }
      } else if (theirs instanceof Uuid id) {
        assertThat(ours).as(where)
            .isEqualTo(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
      } else if (f.type() == Type.Primitive.RECORDS) {
        assertThat(theirs).as(where).isNull();
        assertThat(ours).as(where).isNull();
      } else {
        assertThat(ours).as(where).isEqualTo(theirs);
      }
    }
  }

  /** Kafka's generated accessor: the field name with a lower-case first letter. */
  private static String accessor(String fieldName) {
    return Character.toLowerCase(fieldName.charAt(0)) + fieldName.substring(1);
  }

  @Test
  void metadataBeforeV4AllowsAutoTopicCreation() {
    // v0-3 have no AllowAutoTopicCreation field: those brokers always auto-created (KIP-204).
    ByteBuffer v3 = ByteBuffer.wrap(HexFormat.of().parseHex("00000000")); // Topics: empty array
    Struct request = ApiMessages.decodeRequest(ApiKey.METADATA, (short) 3, new WireReader(v3));
    assertThat(request.get(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION)).isTrue();
    assertThat(request.get(MetadataRequest.TOPICS)).isEmpty();
  }

  @Test
  void fetchResponseWritesTaggedStructsOnlyWhenSet() {
    Struct partition = new Struct(FetchResponse.PARTITION_DATA);
    assertThat(encodeHex(partition, (short) 12)).as("no tags").endsWith("ffffffffffffffff" // LSO
        + "ffffffffffffffff" // LogStartOffset
        + "01" // AbortedTransactions: empty (Kafka's default too)
        + "ffffffff" // PreferredReadReplica
        + "00" // Records: null
        + "00"); // no tagged fields
    partition.get(FetchResponse.CURRENT_LEADER).set(FetchResponse.LEADER_ID, 7);
    assertThat(encodeHex(partition, (short) 12)).as("CurrentLeader").endsWith("00" // Records
        + "01" // one tagged field
        + "01" + "09" // tag 1, 9 bytes
        + "00000007" + "ffffffff" + "00"); // LeaderId 7, LeaderEpoch -1, its own empty tags
  }

  private static String encodeHex(Struct struct, short version) {
    WireWriter out = new WireWriter();
    Codec.write(struct, version, true, out);
    ByteBuffer b = out.toByteBuffer();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  // ---- Produce v0-2: advertised for librdkafka's probe, gone from kafka-clients 4.1 --------

  /** v0-2 requests are v3 without the leading TransactionalId (null: int16 -1). */
  @Test
  void produceRequestBeforeV3IsV3WithoutTransactionalId() {
    Struct request = sampleProduceRequest();
    String v3 = kafkaBytes(ApiKey.PRODUCE, true, request, (short) 3);
    assertThat(v3).startsWith("ffff");
    for (short v = 0; v <= 2; v++) {
      assertThat(oursHex(ApiKey.PRODUCE, true, request, v)).as("v%s", v).isEqualTo(v3.substring(4));
      Struct decoded = ApiMessages.decodeRequest(ApiKey.PRODUCE, v,
          new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex(v3.substring(4)))));
      assertThat(decoded).as("v%s decoded", v).isEqualTo(request);
    }
  }

  /** v2 = v3; v1 lacks LogAppendTimeMs; v0 also lacks the trailing ThrottleTimeMs. */
  @Test
  void produceResponseBeforeV3() {
    Struct response = new Struct(ProduceResponse.SCHEMA).set(ProduceResponse.THROTTLE_TIME_MS, 9);
    Struct topic = response.addElement(ProduceResponse.RESPONSES)
        .set(ProduceResponse.TOPIC_NAME, "t");
    topic.addElement(ProduceResponse.PARTITION_RESPONSES)
        .set(ProduceResponse.PARTITION_INDEX, 2)
        .set(ProduceResponse.ERROR_CODE, (short) 0)
        .set(ProduceResponse.BASE_OFFSET, 42L)
        .set(ProduceResponse.LOG_APPEND_TIME_MS, 1000L);
    String v3 = kafkaBytes(ApiKey.PRODUCE, false, response, (short) 3);
    assertThat(oursHex(ApiKey.PRODUCE, false, response, (short) 2)).isEqualTo(v3);

    String v1Prefix = "00000001" + "0001" + "74" // one topic, "t"
        + "00000001" + "00000002" + "0000" + "000000000000002a"; // one partition: 2, ok, 42
    assertThat(oursHex(ApiKey.PRODUCE, false, response, (short) 1))
        .isEqualTo(v1Prefix + "00000009");
    assertThat(oursHex(ApiKey.PRODUCE, false, response, (short) 0)).isEqualTo(v1Prefix);
  }

  private static Struct sampleProduceRequest() {
    Struct request = new Struct(ProduceRequest.SCHEMA)
        .set(ProduceRequest.ACKS, (short) -1)
        .set(ProduceRequest.TIMEOUT_MS, 30_000);
    Struct topic = request.addElement(ProduceRequest.TOPIC_DATA)
        .set(ProduceRequest.TOPIC_NAME, "orders");
    topic.addElement(ProduceRequest.PARTITION_DATA)
        .set(ProduceRequest.PARTITION_INDEX, 3)
        .set(ProduceRequest.RECORDS, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
    return request;
  }

  /** Our bytes at {@code version}, read and re-written by kafka-clients. */
  private static String kafkaBytes(ApiKey api, boolean request, Struct body, short version) {
    Class<?> data = KafkaOracle.dataClass(api, request);
    Message m = KafkaOracle.parse(data, ApiMessages.encodeBody(api, version, body, request),
        version);
    return hex(KafkaOracle.serialize(m, version));
  }

  private static String oursHex(ApiKey api, boolean request, Struct body, short version) {
    return hex(ApiMessages.encodeBody(api, version, body, request));
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
