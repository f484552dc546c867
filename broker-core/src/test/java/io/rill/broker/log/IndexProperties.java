package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Index lookups agree with a linear scan of the same entries, before and after a reopen. */
class IndexProperties {

  @Property(tries = 200)
  void offsetIndexLookupMatchesLinearScan(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300) int count) throws Exception {
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("rill-index");
    long base = random.nextInt(1000);
    OffsetIndex index = new OffsetIndex(LogFiles.indexFile(dir, base), base, 4096);
    List<long[]> entries = new ArrayList<>();
    long offset = base;
    int position = 0;
    for (int i = 0; i < count && !index.isFull(); i++) {
      offset += 1 + random.nextInt(50);
      position += 1 + random.nextInt(5000);
      index.append(offset, position);
      entries.add(new long[] {offset, position});
    }
    for (int probe = 0; probe < 50; probe++) {
      long target = base + random.nextInt((int) (offset - base + 100));
      long expected = 0;
      for (long[] e : entries) {
        if (e[0] <= target) {
          expected = e[1];
        }
      }
      assertThat(index.lookup(target)).as("lookup %s (seed %s)", target, seed)
          .isEqualTo((int) expected);
      int pos = random.nextInt(position + 100);
      long floor = 0;
      for (long[] e : entries) {
        if (e[1] <= pos) {
          floor = e[1];
        }
      }
      assertThat(index.floorPosition(pos)).isEqualTo((int) floor);
    }
    index.trimToValidSize();
    OffsetIndex reopened = new OffsetIndex(LogFiles.indexFile(dir, base), base, 4096);
    assertThat(reopened.entries()).isEqualTo(entries.size());
    assertThat(reopened.sanityProblem(Integer.MAX_VALUE)).isNull();
    LogManager.deleteRecursively(dir);
  }

  @Property(tries = 200)
  void timeIndexLookupMatchesLinearScan(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300) int count) throws Exception {
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("rill-timeindex");
    TimeIndex index = new TimeIndex(LogFiles.timeIndexFile(dir, 0), 0, 12 * 400);
    List<long[]> entries = new ArrayList<>();
    long ts = 1000;
    long offset = 0;
    for (int i = 0; i < count; i++) {
      ts += random.nextInt(3) - 1; // sometimes equal or older: must be skipped
      offset += random.nextInt(10);
      boolean newer = entries.isEmpty() || ts > entries.get(entries.size() - 1)[0];
      assertThat(index.maybeAppend(ts, offset)).isEqualTo(newer);
      if (newer) {
        entries.add(new long[] {ts, offset});
      }
    }
    for (int probe = 0; probe < 50; probe++) {
      long target = 990 + random.nextInt(count + 20);
      long expected = 0;
      for (long[] e : entries) {
        if (e[0] <= target) {
          expected = e[1];
        }
      }
      assertThat(index.lookup(target)).isEqualTo(expected);
    }
    assertThat(index.sanityProblem(offset + 1)).isNull();
    LogManager.deleteRecursively(dir);
  }
}
