package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.ApiKey;
import io.rill.protocol.ProtocolException;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.schema.Type;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The admin family's schemas beyond the oracle's round trip: defaults and names equal Kafka's,
 * and hostile bytes (truncated, corrupted, absurd lengths) end in a ProtocolException, never in
 * another exception or an allocation sized by the attacker.
 */
class AdminMessagesTest {
  private static final List<ApiKey> ADMIN_APIS = List.of(ApiKey.CREATE_TOPICS,
      ApiKey.DELETE_TOPICS, ApiKey.DESCRIBE_CONFIGS, ApiKey.ALTER_CONFIGS,
      ApiKey.CREATE_PARTITIONS, ApiKey.INCREMENTAL_ALTER_CONFIGS, ApiKey.DESCRIBE_QUORUM,
      ApiKey.ELECT_LEADERS, ApiKey.ALTER_PARTITION_REASSIGNMENTS,
      ApiKey.LIST_PARTITION_REASSIGNMENTS, ApiKey.UNREGISTER_BROKER, ApiKey.DESCRIBE_LOG_DIRS);
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  /** A hostile length may cost a little bookkeeping, never a buffer of its size. */
  private static final long HOSTILE_ALLOCATION_MAX_BYTES = 64 * 1024;
  /** Bookkeeping fields of Kafka's generated classes (linked-collection elements). */
  private static final Set<String> KAFKA_INTERNAL_FIELDS =
      Set.of("_unknownTaggedFields", "next", "prev");

  // ---------------------------------------------------------------- defaults and names

  /**
   * Every struct (by Kafka's struct name), every field (by Kafka's name), with Kafka's default:
   * the value a decoder gives a field its version lacks, and the bar a tagged field must clear.
   */
  @TestFactory
  Stream<DynamicTest> fieldNamesAndDefaultsMatchKafka() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiKey api : ADMIN_APIS) {
      for (boolean request : new boolean[] {true, false}) {
        Schema schema = request ? ApiMessages.schemas(api).request()
            : ApiMessages.schemas(api).response();
        Class<?> top = KafkaOracle.dataClass(api, request);
        tests.add(DynamicTest.dynamicTest(schema.name(),
            () -> assertDefaultsMatch(schema, top, top)));
      }
    }
    return tests.stream();
  }

  private static void assertDefaultsMatch(Schema schema, Class<?> kafkaClass, Class<?> top)
      throws ReflectiveOperationException {
    Object kafka = kafkaClass.getConstructor().newInstance();
    long kafkaFields = Stream.of(kafkaClass.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers()))
        .filter(f -> !KAFKA_INTERNAL_FIELDS.contains(f.getName()))
        .count();
    // Rill's own tagged fields (Field.RILL_TAGS_FROM on) have no counterpart in Kafka's classes.
    List<Field<?>> kafkasFields = schema.fields().stream().filter(f -> !f.isRillExtension())
        .toList();
    assertThat(kafkasFields).as("fields of %s", schema).hasSize((int) kafkaFields);
    for (Field<?> f : kafkasFields) {
      java.lang.reflect.Field kf = kafkaClass.getDeclaredField(lowerFirst(f.name()));
      kf.setAccessible(true);
      Object theirs = kf.get(kafka);
      Object ours = f.newDefault();
      String what = schema.name() + "." + f.name();
      if (f.type() instanceof Type.ArrayOf array) {
        assertThat(ours == null).as("%s default null", what).isEqualTo(theirs == null);
        if (ours != null) {
          assertThat((List<?>) ours).as(what).isEmpty();
          assertThat((Collection<?>) theirs).as(what).isEmpty();
        }
        if (array.element() instanceof Type.StructOf element) {
          Class<?> nested = Class.forName(top.getName() + "$" + element.schema().name());
          assertDefaultsMatch(element.schema(), nested, top);
        }
      } else if (f.type() instanceof Type.StructOf struct) {
        Class<?> nested = Class.forName(top.getName() + "$" + struct.schema().name());
        assertDefaultsMatch(struct.schema(), nested, top);
      } else if (theirs instanceof Uuid uuid) {
        assertThat(ours).as(what)
            .isEqualTo(new UUID(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
      } else {
        assertThat(ours).as(what).isEqualTo(theirs);
      }
    }
  }

  private static String lowerFirst(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  // ---------------------------------------------------------------- version-specific facts

  /** KIP-525: TopicConfigErrorCode is tagged; 0 is not written, so v5 bytes stay minimal. */
  @Test
  void topicConfigErrorCodeIsWrittenOnlyWhenSet() {
    short v5 = 5;
    Struct response = new Struct(CreateTopicsResponse.SCHEMA);
    Struct topic = response.addElement(CreateTopicsResponse.TOPICS)
        .set(CreateTopicsResponse.NAME, "t");
    int plain = encode(response, ApiKey.CREATE_TOPICS, v5).remaining();
    topic.set(CreateTopicsResponse.TOPIC_CONFIG_ERROR_CODE, (short) 29);
    ByteBuffer tagged = encode(response, ApiKey.CREATE_TOPICS, v5);
    // count stays 1 byte; tag 0 + size 1 + int16 = 4 more bytes
    assertThat(tagged.remaining()).isEqualTo(plain + 4);

    Struct decoded = decode(CreateTopicsResponse.SCHEMA, ApiKey.CREATE_TOPICS, v5, tagged);
    assertThat(decoded.get(CreateTopicsResponse.TOPICS).get(0)
        .get(CreateTopicsResponse.TOPIC_CONFIG_ERROR_CODE)).isEqualTo((short) 29);
  }

  /** Before v5 the response has no partition count: a reader sees -1, "unknown". */
  @Test
  void createTopicsResponseBeforeV5DecodesUnknownPartitionsAndReplication() {
    Struct response = new Struct(CreateTopicsResponse.SCHEMA);
    response.addElement(CreateTopicsResponse.TOPICS).set(CreateTopicsResponse.NAME, "t")
        .set(CreateTopicsResponse.NUM_PARTITIONS, 12);
    short v4 = 4;
    Struct topic = decode(CreateTopicsResponse.SCHEMA, ApiKey.CREATE_TOPICS, v4,
        encode(response, ApiKey.CREATE_TOPICS, v4)).get(CreateTopicsResponse.TOPICS).get(0);
    assertThat(topic.get(CreateTopicsResponse.NUM_PARTITIONS)).isEqualTo(-1);
    assertThat(topic.get(CreateTopicsResponse.REPLICATION_FACTOR)).isEqualTo((short) -1);
  }

  /** KIP-516: v6 names topics in Topics (name or ID); v1-5 in TopicNames. */
  @Test
  void deleteTopicsV6CarriesTopicStatesAndOlderVersionsNames() {
    Struct request = new Struct(DeleteTopicsRequest.SCHEMA).set(DeleteTopicsRequest.TIMEOUT_MS, 30);
    request.get(DeleteTopicsRequest.TOPIC_NAMES).add("old");
    UUID id = new UUID(1, 2);
    request.addElement(DeleteTopicsRequest.TOPICS).set(DeleteTopicsRequest.TOPIC_ID, id);

    Struct v5 = decode(DeleteTopicsRequest.SCHEMA, ApiKey.DELETE_TOPICS, (short) 5,
        encode(request, ApiKey.DELETE_TOPICS, (short) 5));
    assertThat(v5.get(DeleteTopicsRequest.TOPIC_NAMES)).containsExactly("old");
    assertThat(v5.get(DeleteTopicsRequest.TOPICS)).isEmpty();

    Struct v6 = decode(DeleteTopicsRequest.SCHEMA, ApiKey.DELETE_TOPICS, (short) 6,
        encode(request, ApiKey.DELETE_TOPICS, (short) 6));
    assertThat(v6.get(DeleteTopicsRequest.TOPIC_NAMES)).isEmpty();
    Struct topic = v6.get(DeleteTopicsRequest.TOPICS).get(0);
    assertThat(topic.get(DeleteTopicsRequest.NAME)).isNull();
    assertThat(topic.get(DeleteTopicsRequest.TOPIC_ID)).isEqualTo(id);
  }

  // ---------------------------------------------------------------- hostile input

  /**
   * Truncating a valid encoding at every length, and overwriting random bytes, gives either a
   * message or a ProtocolException: never BufferUnderflowException, NegativeArraySizeException,
   * ClassCastException or OutOfMemoryError, which would escape the request handler.  /** Lengths near 2^31 must be refused by comparing them with the bytes left, not allocated. */
  @TestFactory
  Stream<DynamicTest> hostileLengthsAreRefusedWithoutAllocating() {
    return Stream.of(
        hostile("array count 0x7fffffff (classic)", CreateTopicsRequest.SCHEMA,
            ApiKey.CREATE_TOPICS, 4, "7fffffff"),
        hostile("array count 0x7fffffff (compact)", CreateTopicsRequest.SCHEMA,
            ApiKey.CREATE_TOPICS, 5, "80808080" + "08"),
        hostile("nested int32 array count 0x7fffffff", CreatePartitionsRequest.SCHEMA,
            ApiKey.CREATE_PARTITIONS, 1,
            "00000001" + "0001" + "74" + "00000002" + "00000001" + "7fffffff"),
        hostile("string length 0x7fff (classic)", DescribeConfigsRequest.SCHEMA,
            ApiKey.DESCRIBE_CONFIGS, 3, "00000001" + "02" + "7fff"),
        hostile("string length 0x7fffffff (compact)", DescribeConfigsRequest.SCHEMA,
            ApiKey.DESCRIBE_CONFIGS, 4, "02" + "02" + "80808080" + "08"),
        hostile("string length -2 (classic)", AlterConfigsRequest.SCHEMA,
            ApiKey.ALTER_CONFIGS, 0, "00000001" + "02" + "fffe"),
        hostile("tagged field size 0x7fffffff", CreateTopicsResponse.SCHEMA,
            ApiKey.CREATE_TOPICS, 5,
            "00000000" + "02" + "0274" + "0000" + "00" + "ffffffff" + "ffff" + "00"
                + "01" + "00" + "ffffffff07"),
        hostile("unknown tag size 0x7fffffff", DeleteTopicsResponse.SCHEMA,
            ApiKey.DELETE_TOPICS, 4, "00000000" + "01" + "01" + "05" + "ffffffff" + "07"),
        hostile("varint longer than five bytes", IncrementalAlterConfigsRequest.SCHEMA,
            ApiKey.INCREMENTAL_ALTER_CONFIGS, 1, "ffffffffffff01"));
  }

  private static DynamicTest hostile(
      String name, Schema schema, ApiKey api, int version, String hex) {
    return DynamicTest.dynamicTest(name, () -> {
      byte[] bytes = HexFormat.of().parseHex(hex);
      boolean flexible = api.isFlexible((short) version);
      assertThatThrownBy(() -> Codec.read(schema, (short) version, flexible,
          new WireReader(ByteBuffer.wrap(bytes)))).isInstanceOf(ProtocolException.class);
      // Measured on a second, bare run: the first one also pays for class loading.
      WireReader in = new WireReader(ByteBuffer.wrap(bytes));
      long before = allocatedBytes();
      try {
        Codec.read(schema, (short) version, flexible, in);
      } catch (ProtocolException expected) {
        // measured below
      }
      assertThat(allocatedBytes() - before).as("bytes allocated")
          .isLessThan(HOSTILE_ALLOCATION_MAX_BYTES);
    });
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  // ---------------------------------------------------------------- helpers

  private static ByteBuffer encode(Struct struct, ApiKey api, short version) {
    WireWriter out = new WireWriter();
    Codec.write(struct, version, api.isFlexible(version), out);
    return out.toByteBuffer();
  }

  private static Struct decode(Schema schema, ApiKey api, short version, ByteBuffer bytes) {
    WireReader in = new WireReader(bytes.duplicate());
    Struct s = Codec.read(schema, version, api.isFlexible(version), in);
    assertThat(in.remaining()).as("bytes left").isZero();
    return s;
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  private static String hex(ByteBuffer b) {
    return HexFormat.of().formatHex(toArray(b));
  }
}
