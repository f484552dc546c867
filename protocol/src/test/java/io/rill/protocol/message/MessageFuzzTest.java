package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.rill.protocol.ApiKey;
import io.rill.protocol.ProtocolException;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bytes from the network are hostile: for every API and advertised version, requests and
 * responses, a
 * valid encoding cut short at any length, or with random bytes flipped, decodes or fails with
 * {@link ProtocolException} — never another exception, never an allocation sized by a length
 * the bytes cannot back.
 */
class MessageFuzzTest {
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());
  private static final int MESSAGES_PER_VERSION = 6;
  private static final int MUTATIONS_PER_MESSAGE = 150;
  /** A decode that fails on a hostile length may allocate its exception, not the length. */
  private static final long HOSTILE_ALLOCATION_MAX_BYTES = 1 << 20;

  @TestFactory
  Stream<DynamicTest> truncatedOrCorruptedBytesFailOnlyWithProtocolException() {
    System.out.println("MessageFuzzTest seed " + SEED + " (rerun with -Drill.seed=" + SEED
        + ")");
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiKey api : ApiKey.values()) {
      for (boolean request : new boolean[] {true, false}) {
        for (short v = api.advertised.lowest(); v <= api.advertised.highest(); v++) {
          short version = v;
          String name = api.title + (request ? "Request" : "Response") + " v" + v;
          tests.add(DynamicTest.dynamicTest(name, () -> fuzz(api, request, version)));
        }
      }
    }
    return tests.stream();
  }

  private static void fuzz(ApiKey api, boolean request, short version) {
    Random random = new Random(SEED ^ (api.id * 131L + version * 7L + (request ? 1 : 0)));
    ApiSchemas schemas = ApiMessages.schemas(api);
    Schema schema = request ? schemas.request() : schemas.response();
    RandomStructs generator = new RandomStructs(random);
    for (int i = 0; i < MESSAGES_PER_VERSION; i++) {
      Struct message = generator.generate(schema, version);
      byte[] valid = toArray(ApiMessages.encodeBody(api, version, message, request));
      assertThat(decode(api, request, version, valid)).isEqualTo(message);

      // A prefix is always short of something the full message needs.
      for (int length = 0; length < valid.length; length++) {
        byte[] cut = Arrays.copyOf(valid, length);
        int len = length;
        assertThatThrownBy(() -> decode(api, request, version, cut))
            .as("%s v%s cut to %s of %s bytes", schema, version, len, valid.length)
            .isInstanceOf(ProtocolException.class);
      }
      for (int m = 0; m < MUTATIONS_PER_MESSAGE && valid.length > 0; m++) {
        byte[] corrupt = valid.clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
          corrupt[random.nextInt(corrupt.length)] ^= (byte) (1 + random.nextInt(255));
        }
        decodeOrProtocolException(api, request, version, corrupt);
      }
    }
  }

  private static void decodeOrProtocolException(
      ApiKey api, boolean request, short version, byte[] bytes) {
    try {
      decode(api, request, version, bytes);
    } catch (ProtocolException expected) {
      // the only acceptable failure
    } catch (Throwable t) {
      fail(api.title + (request ? " request" : " response") + " v" + version + " threw " + t
          + " on " + HexFormat.of().formatHex(bytes), t);
    }
  }

  /** Requests as the broker reads them (whole body consumed); responses as a client would. */
  private static Struct decode(ApiKey api, boolean request, short version, byte[] bytes) {
    WireReader in = new WireReader(ByteBuffer.wrap(bytes));
    return request
        ? ApiMessages.decodeRequest(api, version, in)
        : ApiMessages.decodeResponse(api, version, in);
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  // ---- hostile lengths ----------------------------------------------------------------------

  @Test
  void classicArrayCountOfIntMaxIsRefused() {
    assertRefusedWithoutAllocating(ApiKey.METADATA, true, 1, "7fffffff");
  }

  @Test
  void compactArrayCountOfIntMaxIsRefused() {
    // uvarint 0x80000000 = count 0x7fffffff + 1
    assertRefusedWithoutAllocating(ApiKey.METADATA, true, 9, "8080808008");
  }

  @Test
  void compactLengthOfUint32MaxIsRefused() {
    // uvarint 0xffffffff: as an int it is -1, so the "length" would be -2
    assertRefusedWithoutAllocating(ApiKey.METADATA, true, 9, "ffffffff0f");
  }

  @Test
  void classicStringLengthOfShortMaxIsRefused() {
    // Produce v3 opens with TransactionalId: int16 length 0x7fff, then 2 bytes
    assertRefusedWithoutAllocating(ApiKey.PRODUCE, true, 3, "7fff6162");
  }

  @Test
  void recordsLengthOfIntMaxIsRefused() {
    // TransactionalId null, Acks -1, TimeoutMs, one topic "t", one partition 0, Records 2^31-1
    assertRefusedWithoutAllocating(ApiKey.PRODUCE, true, 3,
        "ffff" + "ffff" + "00007530" + "00000001" + "000174" + "00000001" + "00000000"
            + "7fffffff" + "0102");
  }

  @Test
  void taggedFieldSizeOfIntMaxIsRefused() {
    // DescribeCluster v0 request: IncludeClusterAuthorizedOperations, one tagged field of tag 9
    // (unknown, so it would be skipped) claiming 0x7ffffffe bytes
    assertRefusedWithoutAllocating(ApiKey.DESCRIBE_CLUSTER, true, 0, "00" + "01" + "09"
        + "feffffff07");
  }

  @Test
  void fetchResponseRecordsLengthOfIntMaxIsRefused() {
    // v12: ThrottleTimeMs, ErrorCode, SessionId, 1 topic "t", 1 partition (index, error, HW,
    // LSO, LogStartOffset, AbortedTransactions null, PreferredReadReplica), then Records
    String partition = "00000000" + "0000" + "0000000000000001" + "0000000000000001"
        + "0000000000000000" + "00" + "ffffffff";
    assertRefusedWithoutAllocating(ApiKey.FETCH, false, 12,
        "00000000" + "0000" + "00000000" + "02" + "0274" + "02" + partition + "8080808008");
  }

  private static void assertRefusedWithoutAllocating(
      ApiKey api, boolean request, int version, String hex) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemoryEnabled()).as("allocation is measurable").isTrue();
    long before = threads.getCurrentThreadAllocatedBytes();
    Throwable thrown = null;
    try {
      decode(api, request, (short) version, bytes);
    } catch (Throwable t) {
      thrown = t;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(thrown).as("%s v%s %s", api.title, version, hex)
        .isInstanceOf(ProtocolException.class);
    assertThat(allocated).as("bytes allocated refusing %s", hex)
        .isLessThan(HOSTILE_ALLOCATION_MAX_BYTES);
  }

  @Test
  void validNeighboursOfTheHostileInputsDecode() {
    // The hostile inputs above differ from these only in a length.
    Struct ok = ApiMessages.decodeRequest(ApiKey.METADATA, (short) 9,
        new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex("01" + "01" + "00" + "00" + "00"))));
    assertThat(ok.get(MetadataRequest.TOPICS)).isEmpty();
    assertThat(Codec.read(MetadataRequest.SCHEMA, (short) 1, false,
        new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex("ffffffff"))))
        .get(MetadataRequest.TOPICS)).as("v1 null topics = all").isNull();
  }
}
