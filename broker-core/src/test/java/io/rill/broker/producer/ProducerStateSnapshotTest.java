package io.rill.broker.producer;

import static io.rill.broker.producer.ProducerStateManagerTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The clean-shutdown snapshot of producer state: exact round trip, and nothing else accepted. */
class ProducerStateSnapshotTest {
  private static final long SEED = System.nanoTime();
  private static final int PRODUCERS = 40;

  static {
    System.out.println("ProducerStateSnapshotTest seed=" + SEED);
  }

  /** Many producers over several epochs, some with more batches than are remembered. */
  private static ProducerStateManager randomState(Random random, long[] endOffset) {
    ProducerStateManager state = new ProducerStateManager();
    long offset = 0;
    for (int pid = 0; pid < PRODUCERS; pid++) {
      int epochs = 1 + random.nextInt(3);
      for (int epoch = 0; epoch < epochs; epoch++) {
        int seq = 0;
        for (int b = random.nextInt(9); b >= 0; b--) {
          int count = 1 + random.nextInt(50);
          state.record(header(1000 + pid, epoch, seq, count), offset,
              1_700_000_000_000L + random.nextInt(1_000_000));
          seq += count;
          offset += count;
        }
      }
    }
    endOffset[0] = offset;
    return state;
  }

  @Test
  void aSnapshotRestoresExactlyTheStateItWasTakenOf() {
    long[] end = new long[1];
    ProducerStateManager original = randomState(new Random(SEED), end);
    ByteBuffer bytes = original.snapshot(end[0]);

    ProducerStateManager restored = new ProducerStateManager();
    assertThat(restored.restore(bytes.duplicate(), end[0])).isEqualTo(PRODUCERS);
    for (long pid = 1000; pid < 1000 + PRODUCERS; pid++) {
      assertThat(restored.batchesOf(pid)).as("producer %d", pid)
          .isEqualTo(original.batchesOf(pid));
    }
    assertThat(restored.snapshot(end[0])).as("same bytes again (epochs and timestamps too)")
        .isEqualTo(bytes);
  }

  @Test
  void anythingButAWholeSnapshotAtThisLogEndIsRefusedAndTheStateKept() {
    long[] end = new long[1];
    Random random = new Random(SEED + 1);
    ByteBuffer bytes = randomState(random, end).snapshot(end[0]);
    ProducerStateManager target = new ProducerStateManager();
    target.record(header(1, 0, 0, 1), 0, 0);

    assertThatThrownBy(() -> target.restore(bytes.duplicate(), end[0] + 1))
        .hasMessageContaining("the log ends at");
    assertThatThrownBy(() -> target.restore(bytes.duplicate().limit(bytes.limit() - 7), end[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> target.restore(ByteBuffer.allocate(0), end[0]))
        .isInstanceOf(IllegalArgumentException.class);
    for (int i = 0; i < 200; i++) {
      ByteBuffer flipped = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
      int at = random.nextInt(flipped.limit());
      flipped.put(at, (byte) (flipped.get(at) ^ (1 << random.nextInt(8))));
      assertThatThrownBy(() -> target.restore(flipped, end[0])).as("bit flipped at %d", at)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(target.producerCount()).as("the state before the refusals").isEqualTo(1);
  }
}
