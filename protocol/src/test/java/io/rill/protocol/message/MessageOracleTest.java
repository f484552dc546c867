package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.schema.Codec;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Message;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every served API, every advertised version that kafka-clients 4.1 also knows, requests
 * and responses: random messages we encode are read by the official client without leftovers
 * or unknown tags and re-serialised to the very same bytes, and our decoder reads those bytes
 * back to the same message field for field.
 *
 * <p>Versions outside kafka-clients 4.1's range (Produce 0-2, removed by KIP-896) cannot be
 * checked by this oracle.
 */
class MessageOracleTest {
  private static final int MESSAGES_PER_VERSION = 25;
  private static final long SEED = Long.getLong("rill.seed", System.nanoTime());

  @TestFactory
  Stream<DynamicTest> everyApiVersionMatchesTheOfficialClient() {
    System.out.println("MessageOracleTest seed " + SEED + " (rerun with -Drill.seed=" + SEED + ")");
    List<DynamicTest> tests = new ArrayList<>();
    for (ApiKey api : ApiKey.values()) {
      if (!ApiMessages.isRegistered(api)) {
        continue;
      }
      for (boolean request : new boolean[] {true, false}) {
        Class<?> data = KafkaOracle.dataClass(api, request);
        short lo = (short) Math.max(api.advertised.lowest(), KafkaOracle.lowestSupported(data));
        short hi = (short) Math.min(api.advertised.highest(), KafkaOracle.highestSupported(data));
        for (short v = lo; v <= hi; v++) {
          short version = v;
          String name = api.title + (request ? "Request" : "Response") + " v" + v;
          tests.add(DynamicTest.dynamicTest(name, () -> roundTrip(api, request, data, version)));
        }
      }
    }
    return tests.stream();
  }

  /** Every API of the advertised table has schemas. */
  @TestFactory
  Stream<DynamicTest> everyApiIsRegistered() {
    return Stream.of(ApiKey.values()).map(api -> DynamicTest.dynamicTest(api.title,
        () -> assertThat(ApiMessages.isRegistered(api)).as(api.title).isTrue()));
  }

  private static void roundTrip(ApiKey api, boolean request, Class<?> data, short version) {
    Random random = new Random(SEED ^ (api.id * 131L + version * 7L + (request ? 1 : 0)));
    RandomStructs generator = new RandomStructs(random);
    ApiSchemas schemas = ApiMessages.schemas(api);
    Schema schema = request ? schemas.request() : schemas.response();
    boolean flexible = api.isFlexible(version);
    for (int i = 0; i < MESSAGES_PER_VERSION; i++) {
      Struct ours = generator.generate(schema, version);
      WireWriter out = new WireWriter();
      Codec.write(ours, version, flexible, out);
      ByteBuffer ourBytes = out.toByteBuffer();

      Message theirs = KafkaOracle.parse(data, ourBytes, version);
      assertThat(KafkaOracle.unknownTags(theirs)).as("tags unknown to kafka-clients").isEmpty();
      ByteBuffer theirBytes = KafkaOracle.serialize(theirs, version);
      assertThat(hex(theirBytes)).as("kafka-clients re-serialised %s", ours).isEqualTo(hex(ourBytes));

      Struct decoded = Codec.read(schema, version, flexible, new WireReader(theirBytes.duplicate()));
      assertThat(decoded).as("decoded from kafka-clients' bytes").isEqualTo(ours);
    }
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
