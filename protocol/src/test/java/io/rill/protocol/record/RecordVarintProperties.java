package io.rill.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.ProtocolException;
import io.rill.protocol.types.Varints;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The varints records are made of: every value round-trips, the size functions agree with the
 * bytes really written, and zig-zag keeps small negatives small (-1, the null length, is one
 * byte). Lives beside the record code that depends on it.
 */
class RecordVarintProperties {
  @Property
  void varintRoundTripsAndSizeMatches(@ForAll int value) {
    ByteBuffer buf = ByteBuffer.allocate(5);
    Varints.writeVarint(value, buf);
    assertThat(buf.position()).isEqualTo(Varints.sizeOfVarint(value));
    assertThat(Varints.readVarint(buf.flip())).isEqualTo(value);
    assertThat(buf.hasRemaining()).isFalse();
  }

  @Property
  void varlongRoundTripsAndSizeMatches(@ForAll long value) {
    ByteBuffer buf = ByteBuffer.allocate(10);
    Varints.writeVarlong(value, buf);
    assertThat(buf.position()).isEqualTo(Varints.sizeOfVarlong(value));
    assertThat(Varints.readVarlong(buf.flip())).isEqualTo(value);
  }

  @Property
  void unsignedVarintRoundTripsAndSizeMatches(@ForAll int value) {
    ByteBuffer buf = ByteBuffer.allocate(5);
    Varints.writeUnsignedVarint(value, buf);
    assertThat(buf.position()).isEqualTo(Varints.sizeOfUnsignedVarint(value));
    assertThat(Varints.readUnsignedVarint(buf.flip())).isEqualTo(value);
  }

  @Property
  void agreesWithKafkasByteUtils(@ForAll int i, @ForAll long l) {
    ByteBuffer ours = ByteBuffer.allocate(15);
    Varints.writeVarint(i, ours);
    Varints.writeVarlong(l, ours);
    ByteBuffer theirs = ByteBuffer.allocate(15);
    org.apache.kafka.common.utils.ByteUtils.writeVarint(i, theirs);
    org.apache.kafka.common.utils.ByteUtils.writeVarlong(l, theirs);
    assertThat(ours.flip()).isEqualTo(theirs.flip());
  }

  @Property
  void everyTruncationIsAProtocolException(@ForAll long value) {
    ByteBuffer buf = ByteBuffer.allocate(10);
    Varints.writeVarlong(value, buf);
    for (int cut = 0; cut < buf.position(); cut++) {
      ByteBuffer shortBuf = ByteBuffer.wrap(buf.array(), 0, cut);
      assertThatThrownBy(() -> Varints.readVarlong(shortBuf))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @net.jqwik.api.Example
  void nullLengthIsOneByte() {
    assertThat(Varints.sizeOfVarint(-1)).isEqualTo(1);
  }
}
