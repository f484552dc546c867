package io.rill.chaos.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Damage to one stopped node's log of the workload's topic, as a power loss or a bad disk would
 * do it: cut the tail of a partition's active (newest) segment, as if its unsynced writes were
 * lost, or flip bits in a closed segment. Kafka's layout ({@code TOPIC-P/<base offset>.log}) is
 * read as files, not through broker code. Call only while the node is down.
 */
final class DiskFaults {
  /** The most a truncation cuts from an active segment. */
  static final int TRUNCATE_BYTES_MAX = 16_384;
  /** The most bits one flip changes. */
  static final int FLIP_BITS_MAX = 4;

  private DiskFaults() {}

  /** Damages one random partition's log under {@code dataDir}; returns what it did. */
  static String damage(Path dataDir, String topic, Random random) {
    List<Path> partitions = list(dataDir, d -> Files.isDirectory(d)
        && d.getFileName().toString().startsWith(topic + "-"));
    if (partitions.isEmpty()) {
      return "nothing to damage: no " + topic + " partition under " + dataDir;
    }
    Path dir = partitions.get(random.nextInt(partitions.size()));
    List<Path> segments = list(dir, f -> f.getFileName().toString().endsWith(".log"));
    if (segments.isEmpty()) {
      return "nothing to damage: no segment in " + dir;
    }
    try {
      if (segments.size() > 1 && random.nextBoolean()) {
        return flipBits(segments.get(random.nextInt(segments.size() - 1)), random);
      }
      return truncateTail(segments.get(segments.size() - 1), random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot damage a segment in " + dir, e);
    }
  }

  private static String truncateTail(Path segment, Random random) throws IOException {
    long size = Files.size(segment);
    long cut = Math.min(size, 1 + random.nextInt(TRUNCATE_BYTES_MAX));
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(size - cut);
    }
    return "cut " + cut + " of " + size + " bytes off the end of " + segment;
  }

  private static String flipBits(Path segment, Random random) throws IOException {
    long size = Files.size(segment);
    if (size == 0) {
      return "nothing to damage: " + segment + " is empty";
    }
    StringBuilder what = new StringBuilder("flipped bits of " + segment + " at byte");
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      int flips = 1 + random.nextInt(FLIP_BITS_MAX);
      for (int i = 0; i < flips; i++) {
        long at = (long) (random.nextDouble() * size);
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, at);
        b.put(0, (byte) (b.get(0) ^ (1 << random.nextInt(8))));
        b.rewind();
        ch.write(b, at);
        what.append(' ').append(at);
      }
    }
    return what.toString();
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(keep).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
