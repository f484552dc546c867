package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The group API family (OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat,
 * LeaveGroup, SyncGroup, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete) beyond what
 * {@link MessageOracleTest} proves about the wire layout:
 *
 * <ul>
 *   <li>every field's default is kafka-clients' default, so a field a version lacks decodes to
 *       what Kafka's broker would see;
 *   <li>bytes from the network, truncated or corrupted, decode or fail with a {@link
 *       ProtocolException}, never another exception;
 *   <li>a hostile length (array count, string or bytes length of 0x7fffffff) is refused before
 *       anything of that size is allocated.
 * </ul>
 */
class GroupMessagesTest {
  private static final List<ApiKey> GROUP_APIS = List.of(
      ApiKey.OFFSET_COMMIT, ApiKey.OFFSET_FETCH, ApiKey.FIND_COORDINATOR, ApiKey.JOIN_GROUP,
      ApiKey.HEARTBEAT, ApiKey.LEAVE_GROUP, ApiKey.SYNC_GROUP, ApiKey.DESCRIBE_GROUPS,
      ApiKey.LIST_GROUPS, ApiKey.DELETE_GROUPS, ApiKey.OFFSET_DELETE);
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  private static final int CORRUPTIONS_PER_MESSAGE = 300;
  /** Far below any hostile length; refusing a few-byte message allocates well under this. */
  private static final long HOSTILE_DECODE_ALLOCATION_MAX = 64 << 10;

  // ---------------------------------------------------------------- defaults

  @TestFactory
  Stream<DynamicTest> everyDefaultIsKafkaClientsDefault() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiKey api : GROUP_APIS) {
      for (boolean request : new boolean[] {true, false}) {
        Class<?> data = KafkaOracle.dataClass(api, request);
        ApiSchemas schemas = ApiMessages.schemas(api);
        Schema schema = request ? schemas.request() : schemas.response();
        tests.add(DynamicTest.dynamicTest(schema.name(),
            () -> assertDefaultsMatch(schema, data, data)));
      }
    }
    return tests.stream();
  }

  /**
   * Compares each field's default with the value of the same-named property of Kafka's
   * default-constructed class; nested schemas carry Kafka's struct names, which name the
   * nested classes of {@code outer}.
   */
  private static void assertDefaultsMatch(Schema schema, Class<?> kafkaClass, Class<?> outer)
      throws ReflectiveOperationException {
    Object theirs = kafkaClass.getConstructor().newInstance();
    for (Field<?> f : schema.fields()) {
      String accessor = Character.toLowerCase(f.name().charAt(0)) + f.name().substring(1);
      Object theirDefault = kafkaClass.getMethod(accessor).invoke(theirs);
      Object ourDefault = f.newDefault();
      assertThat(defaultsEqual(ourDefault, theirDefault))
          .as("%s.%s: ours %s, kafka-clients %s", schema.name(), f.name(), show(ourDefault),
              show(theirDefault))
          .isTrue();
      Schema nested = nestedSchema(f.type());
      if (nested != null) {
        Class<?> nestedClass = Class.forName(outer.getName() + "$" + nested.name());
        assertDefaultsMatch(nested, nestedClass, outer);
      }
    }
  }

  private static Schema nestedSchema(Type type) {
    if (type instanceof Type.ArrayOf a) {
      return nestedSchema(a.element());
    }
    return type instanceof Type.StructOf s ? s.schema() : null;
  }

  private static boolean defaultsEqual(Object ours, Object theirs) {
    if (ours instanceof List<?> list && theirs instanceof Collection<?> collection) {
      return list.isEmpty() && collection.isEmpty();
    }
    if (ours instanceof byte[] a && theirs instanceof byte[] b) {
      return Arrays.equals(a, b);
    }
    return Objects.equals(ours, theirs);
  }

  private static String show(Object v) {
    return v instanceof String s ? '"' + s + '"' : String.valueOf(v);
  }

  private static Struct decode(Schema schema, short version, boolean flexible, byte[] bytes) {
    return Codec.read(schema, version, flexible, new WireReader(ByteBuffer.wrap(bytes)));
  }

  // ---------------------------------------------------------------- hostile lengths

  private static final byte[] INT32_MAX = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
  private static final byte[] INT16_MAX = {0x7f, (byte) 0xff};
  /** Unsigned varint 0x80000000: a compact length of 0x7fffffff once the +1 is taken off. */
  private static final byte[] COMPACT_INT32_MAX =
      {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

  @Test
  void hostileClassicArrayCountIsRefusedWithoutAllocating() {
    // DeleteGroups v0: GroupsNames [int32 count]
    assertRefusedCheaply(ApiKey.DELETE_GROUPS, true, 0, INT32_MAX, "array");
  }

  @Test
  void hostileCompactArrayCountIsRefusedWithoutAllocating() {
    // DeleteGroups v2: GroupsNames [uvarint count + 1]
    assertRefusedCheaply(ApiKey.DELETE_GROUPS, true, 2, COMPACT_INT32_MAX, "array");
  }

  @Test
  void hostileNestedArrayCountIsRefusedWithoutAllocating() {
    // OffsetCommit v2: GroupId "", GenerationId, MemberId "", RetentionTimeMs, one topic "t",
    // then its Partitions count.
    byte[] prefix = concat(new byte[] {0, 0}, new byte[4], new byte[] {0, 0}, new byte[8],
        new byte[] {0, 0, 0, 1, 0, 1, 't'});
    assertRefusedCheaply(ApiKey.OFFSET_COMMIT, true, 2, concat(prefix, INT32_MAX), "array");
  }

  @Test
  void hostileClassicStringLengthIsRefusedWithoutAllocating() {
    // JoinGroup v0: GroupId [int16 length]
    assertRefusedCheaply(ApiKey.JOIN_GROUP, true, 0, INT16_MAX, "string");
  }

  @Test
  void hostileCompactStringLengthIsRefusedWithoutAllocating() {
    // JoinGroup v6: GroupId [uvarint length + 1]
    assertRefusedCheaply(ApiKey.JOIN_GROUP, true, 6, COMPACT_INT32_MAX, "string");
  }

  @Test
  void hostileBytesLengthIsRefusedWithoutAllocating() {
    // SyncGroup v0 response: ErrorCode, then Assignment [int32 length]
    assertRefusedCheaply(ApiKey.SYNC_GROUP, false, 0, concat(new byte[2], INT32_MAX), "bytes");
    // SyncGroup v4 response: ThrottleTimeMs, ErrorCode, then Assignment [uvarint length + 1]
    assertRefusedCheaply(ApiKey.SYNC_GROUP, false, 4, concat(new byte[6], COMPACT_INT32_MAX),
        "bytes");
  }

  @Test
  void negativeLengthOtherThanNullIsRefused() {
    // JoinGroup v0 GroupId of length -2; DeleteGroups v0 GroupsNames of count -2.
    assertRefusedCheaply(ApiKey.JOIN_GROUP, true, 0, new byte[] {(byte) 0xff, (byte) 0xfe},
        "negative");
    assertRefusedCheaply(ApiKey.DELETE_GROUPS, true, 0,
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe}, "negative");
  }

  @Test
  void nullInANonNullableFieldIsRefused() {
    // DeleteGroups v0 GroupsNames null (-1) and JoinGroup v6 GroupId null (compact 0).
    assertRefusedCheaply(ApiKey.DELETE_GROUPS, true, 0,
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, "not nullable");
    assertRefusedCheaply(ApiKey.JOIN_GROUP, true, 6, new byte[] {0}, "not nullable");
  }

  private static void assertRefusedCheaply(
      ApiKey api, boolean request, int version, byte[] bytes, String messagePart) {
    ApiSchemas schemas = ApiMessages.schemas(api);
    Schema schema = request ? schemas.request() : schemas.response();
    short v = (short) version;
    boolean flexible = api.isFlexible(v);
    assertThatThrownBy(() -> decode(schema, v, flexible, bytes))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(messagePart);
    // Measured on a second decode, so class loading and the assertion library do not count.
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      decode(schema, v, flexible, bytes);
    } catch (ProtocolException expected) {
      // as above
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated refusing %s v%s", schema, v)
        .isLessThan(HOSTILE_DECODE_ALLOCATION_MAX);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
