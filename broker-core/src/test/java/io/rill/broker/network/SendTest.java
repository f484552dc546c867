package io.rill.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.FileRegion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends resume correctly after partial writes, byte for byte and in order. */
class SendTest {
  /** A channel that takes at most {@code perCall} bytes per write, like a full socket buffer. */
  static final class TrickleChannel implements GatheringByteChannel {
    final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    final int perCall;
    int calls;

    TrickleChannel(int perCall) {
      this.perCall = perCall;
    }

    @Override
    public int write(ByteBuffer src) {
      calls++;
      int n = Math.min(perCall, src.remaining());
      byte[] b = new byte[n];
      src.get(b);
      taken.write(b, 0, n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      long total = 0;
      for (int i = offset; i < offset + length && total < perCall; i++) {
        int n = Math.min(perCall - (int) total, srcs[i].remaining());
        byte[] b = new byte[n];
        srcs[i].get(b);
        taken.write(b, 0, n);
        total += n;
      }
      calls++;
      return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static void writeAll(Send send, GatheringByteChannel ch) throws IOException {
    int rounds = 0;
    while (!send.completed()) {
      send.writeTo(ch);
      assertThat(++rounds).as("progress").isLessThan(1_000_000);
    }
    assertThat(send.writeTo(ch)).isZero();
  }

  @Test
  void compositeOfBuffersAndRegionsWritesEveryByteInOrder(@TempDir Path dir) throws IOException {
    byte[] file = new byte[100_000];
    new Random(7).nextBytes(file);
    Path path = dir.resolve("segment.log");
    Files.write(path, file);
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
      Send send = new CompositeSend(List.of(
          new ByteBufferSend(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.allocate(0)),
          new FileRegionSend(new FileRegion(fc, 10, 50_000)),
          new ByteBufferSend(ByteBuffer.wrap(new byte[] {4, 5})),
          new FileRegionSend(new FileRegion(fc, 0, 0)),
          new FileRegionSend(new FileRegion(fc, 99_000, 1_000))));
      assertThat(send.size()).isEqualTo(3 + 50_000 + 2 + 1_000);

      Path out = dir.resolve("out");
      try (FileChannel sink = FileChannel.open(out, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        // FileChannel.transferTo into a FileChannel target; byte buffers trickle in pieces.
        writeAll(send, sink);
      }
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.write(new byte[] {1, 2, 3});
      expected.write(file, 10, 50_000);
      expected.write(new byte[] {4, 5});
      expected.write(file, 99_000, 1_000);
      assertThat(Files.readAllBytes(out)).isEqualTo(expected.toByteArray());
      assertThat(send.written()).isEqualTo(send.size());
    }
  }

  @Test
  void byteBufferSendResumesAfterPartialWrites() throws IOException {
    ByteBuffer[] parts = new ByteBuffer[100];
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      byte[] b = new byte[i];
      java.util.Arrays.fill(b, (byte) i);
      expected.write(b, 0, b.length);
      parts[i] = ByteBuffer.wrap(b);
    }
    Send send = new ByteBufferSend(parts);
    TrickleChannel ch = new TrickleChannel(7);
    writeAll(send, ch);
    assertThat(ch.taken.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(ch.calls).isGreaterThan(1);
  }

  @Test
  void sizePrefixIsBigEndian() throws IOException {
    TrickleChannel ch = new TrickleChannel(100);
    writeAll(new ByteBufferSend(FramedSend.sizePrefix(0x01020304)), ch);
    assertThat(ch.taken.toByteArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void framedBuffersGoOutInOneGatheringWrite() throws IOException {
    TrickleChannel ch = new TrickleChannel(1000);
    Send framed = FramedSend.of(new ByteBufferSend(ByteBuffer.wrap(new byte[] {9, 8}),
        ByteBuffer.wrap(new byte[] {7})));
    assertThat(framed.size()).isEqualTo(7);
    writeAll(framed, ch);
    assertThat(ch.taken.toByteArray()).containsExactly(0, 0, 0, 3, 9, 8, 7);
    assertThat(ch.calls).isEqualTo(1);
  }

  @Test
  void framedFileRegionResumesAcrossThePrefixAndTheRegion(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("00.log");
    Files.write(path, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
      Send framed = FramedSend.of(new FileRegionSend(new FileRegion(fc, 2, 6)));
      TrickleChannel ch = new TrickleChannel(3);
      writeAll(framed, ch);
      assertThat(ch.taken.toByteArray()).containsExactly(0, 0, 0, 6, 3, 4, 5, 6, 7, 8);
      assertThat(framed.completed()).isTrue();
    }
  }

  @Test
  void truncatedFileFailsTheSendInsteadOfSpinning(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("short.log");
    Files.write(path, new byte[10]);
    try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
      Send send = new FileRegionSend(new FileRegion(fc, 0, 20));
      TrickleChannel ch = new TrickleChannel(1000);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> writeAll(send, ch))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("runs past the end");
    }
  }
}
