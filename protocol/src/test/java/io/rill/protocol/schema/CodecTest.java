package io.rill.protocol.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.message.ApiVersionsResponse;
import io.rill.protocol.message.DescribeClusterResponse;
import io.rill.protocol.message.HeartbeatResponse;
import io.rill.protocol.types.WireReader;
import io.rill.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Rules of the codec core that no single API's tests pin down. */
class CodecTest {

  private static WireReader reader(String hex) {
    return new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
  }

  @Test
  void aTaggedFieldSizeOfMinusOneIsRefusedForKnownAndUnknownTags() {
    // ApiVersionsResponse v3: error 0, no keys, throttle 0, tag 0 with uvarint size 0xffffffff.
    assertThatThrownBy(() -> Codec.read(ApiVersionsResponse.SCHEMA, (short) 3, true,
        reader("00000100000000010" + "0ffffffff0f"))).isInstanceOf(ProtocolException.class);
    // HeartbeatResponse v4: throttle, error, one unknown tag 7 with size 0xffffffff.
    assertThatThrownBy(() -> Codec.read(HeartbeatResponse.SCHEMA, (short) 4, true,
        reader("00000000000001" + "07ffffffff0f"))).isInstanceOf(ProtocolException.class);
  }

  @Test
  void stringsLongerThan32767BytesAreRefusedInBothEncodings() {
    String tooLong = "x".repeat(WireReader.STRING_MAX_BYTES + 1);
    assertThatThrownBy(() -> new WireWriter().writeString(tooLong, true))
        .isInstanceOf(IllegalArgumentException.class);
    WireWriter out = new WireWriter();
    out.writeUnsignedVarint(WireReader.STRING_MAX_BYTES + 2).writeRaw(tooLong.getBytes());
    assertThatThrownBy(() -> new WireReader(out.toByteBuffer()).readString(true))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("exceeds");
  }

  @Test
  void aStringOfExactly32767BytesRoundTrips() {
    String max = "y".repeat(WireReader.STRING_MAX_BYTES);
    Struct s = new Struct(DescribeClusterResponse.SCHEMA).set(DescribeClusterResponse.CLUSTER_ID, max);
    WireWriter out = new WireWriter();
    Codec.write(s, (short) 0, true, out);
    Struct back = Codec.read(DescribeClusterResponse.SCHEMA, (short) 0, true, new WireReader(out.toByteBuffer()));
    assertThat(back.get(DescribeClusterResponse.CLUSTER_ID)).isEqualTo(max);
  }
}
