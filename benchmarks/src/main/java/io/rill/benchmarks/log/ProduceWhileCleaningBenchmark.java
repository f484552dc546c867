package io.rill.benchmarks.log;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.server.RillNode;
import io.rill.client.ClientConfig;
import io.rill.client.Configs;
import io.rill.client.KafkaClient;
import io.rill.client.Producer;
import io.rill.protocol.record.CompressionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Produce throughput into a compacted topic while the cleaner compacts it, against a topic with
 * cleanup.policy=delete while the cleaner is idle (issue 14's second figure). Not JMH: it is one
 * scenario of phases on one in-process node, measured once.
 *
 * <ol>
 *   <li>Start a node (64 MiB segments, cleaner backoff 100 ms, one cleaner thread, 128 MiB dedupe
 *       buffer). Preload topic {@code table} (cleanup.policy=delete for now, so nothing cleans
 *       it) with {@code preloadMiB} of 100-byte values under {@code keys} random keys.
 *   <li>(b) Produce {@code produceMiB} of the same kind into topic {@code stream} (delete): the
 *       cleaner is idle.
 *   <li>Set {@code table} to cleanup.policy=compact, and at once (a) produce into it until the
 *       cleaner has cleaned the preloaded dirty log: so the cleaner runs during all of (a).
 *   <li>Wait until the cleaner is idle; then (b) again, to bracket (a).
 * </ol>
 *
 * <p>Each phase reports records/s and MB/s (MB = 10^6 bytes of keys and values), the process's
 * CPU and GC time and the load average; (a) also reports the cleaner thread's CPU time and its
 * rate on the preloaded log (its inactive segments' bytes over (a)'s wall time and over the
 * cleaner's CPU time). One producer ({@code client}'s, acks=1, 16 KiB batches,
 * linger 5 ms, one request in flight) in the same process as the node: on a 2-core machine the
 * producer, the node's handlers and the cleaner share the cores, which is what is measured.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.rill.benchmarks.log.ProduceWhileCleaningBenchmark [preloadMiB produceMiB keys]} (defaults
 * 1024 512 1000000).
 */
public final class ProduceWhileCleaningBenchmark {
  static final int VALUE_BYTES = 100;
  static final int SEGMENT_BYTES = 64 << 20;
  static final String TABLE = "table";
  static final String STREAM = "stream";
  /** The cleaner counts as idle after this long without using CPU. */
  static final long IDLE_MS = 1_000;
  static final long IDLE_WAIT_MAX_MS = 120_000;
  /** Bound on phase (a), which lasts until the cleaner has cleaned the preload. */
  static final long A_BYTES_MAX = 8L << 30;
  static final int DONE_CHECK_RECORDS = 1_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final RillNode node;
  private final KafkaClient client;
  private final int keys;
  private final Random random = new Random(42);

  private ProduceWhileCleaningBenchmark(RillNode node, KafkaClient client, int keys) {
    this.node = node;
    this.client = client;
    this.keys = keys;
  }

  public static void main(String[] args) throws Exception {
    int preloadMiB = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int produceMiB = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    Path dir = Files.createTempDirectory("rill-bench-produce-cleaning");
    RillNode node = new RillNode(BrokerConfig.of(Map.of(
        "listeners", "PLAINTEXT://127.0.0.1:0",
        "controller.quorum.voters", "1@127.0.0.1:" + freePort(),
        "log.dirs", dir.toString(),
        "log.segment.bytes", String.valueOf(SEGMENT_BYTES),
        "log.cleaner.backoff.ms", "100",
        "num.partitions", "1")));
    node.start();
    try (KafkaClient client = new KafkaClient(new ClientConfig(
        List.of("127.0.0.1:" + node.boundPort("PLAINTEXT")), "bench", 30_000))) {
      new ProduceWhileCleaningBenchmark(node, client, keys).run(preloadMiB, produceMiB);
    } finally {
      node.close();
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void run(int preloadMiB, int produceMiB) throws Exception {
    System.out.printf("preload %d MiB into %s (delete policy: not cleaned yet), %d keys%n",
        preloadMiB, TABLE, keys);
    report("preload " + TABLE + " (cleaner idle)",
        produce(TABLE, (long) preloadMiB << 20, () -> false), null);
    PartitionLog table = node.logManager().log(new TopicPartition(TABLE, 0)).orElseThrow();
    double bytesPerOffset = (double) table.sizeInBytes() / table.logEndOffset();

    long bBytes = (long) produceMiB << 20;
    report("(b) " + STREAM + ", delete policy, cleaner idle", produce(STREAM, bBytes, () -> false),
        null);

    List<Long> bases = table.segmentBaseOffsets();
    long dirtyEnd = bases.get(bases.size() - 1); // the preload's inactive segments end here
    Configs.alter(client, Configs.TOPIC, TABLE, Map.of("cleanup.policy", "compact"), List.of());
    long cleanerCpuBefore = cleanerCpuNs();
    Phase a = produce(TABLE, A_BYTES_MAX, () -> table.cleanedOffset() >= dirtyEnd);
    long cleanerCpuNs = cleanerCpuNs() - cleanerCpuBefore;
    report("(a) " + TABLE + ", compact policy, until its preload is cleaned", a,
        new CleanerShare(cleanerCpuNs, (long) (dirtyEnd * bytesPerOffset)));

    long waitStartNs = System.nanoTime();
    awaitCleanerIdle();
    System.out.printf("cleaner idle %.1f s after (a) ended (cleaned up to %d of %d); %s now"
        + " %d MB%n%n", (System.nanoTime() - waitStartNs) / 1e9, table.cleanedOffset(),
        table.logEndOffset(), TABLE, table.sizeInBytes() / 1_000_000);

    report("(b') " + STREAM + ", delete policy, cleaner idle",
        produce(STREAM, bBytes, () -> false), null);
  }

  /** What one produce phase did. */
  record Phase(long records, long bytes, long wallNs, long processCpuNs, long gcMs, String load) {}

  /** The cleaner's share of a phase: its thread's CPU and the dirty bytes it cleaned. */
  record CleanerShare(long cpuNs, long dirtyBytesCleaned) {}

  /**
   * Sends keys and values to partition 0 of {@code topic} until {@code bytesMax} of them or
   * until {@code done} (asked every {@link #DONE_CHECK_RECORDS} records); waits for the acks.
   */
  private Phase produce(String topic, long bytesMax, BooleanSupplier done)
      throws InterruptedException {
    byte[] value = new byte[VALUE_BYTES];
    long records = 0;
    long bytes = 0;
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long gcStart = gcMs();
    long start = System.nanoTime();
    try (Producer producer = new Producer(client, topic, CompressionType.NONE, (short) 1,
        Producer.BATCH_BYTES_DEFAULT, Producer.LINGER_MS_DEFAULT, null)) {
      while (bytes < bytesMax && (records % DONE_CHECK_RECORDS != 0 || !done.getAsBoolean())) {
        random.nextBytes(value);
        byte[] key = ("key-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8);
        producer.send(0, key, value);
        records++;
        bytes += key.length + value.length;
      }
    } // close() sends what is buffered and waits for the acknowledgements
    long wallNs = System.nanoTime() - start;
    return new Phase(records, bytes, wallNs, os.getProcessCpuTime() - cpuStart,
        gcMs() - gcStart, load());
  }

  private static void report(String name, Phase p, CleanerShare cleaner) {
    double seconds = p.wallNs() / 1e9;
    System.out.printf("%s: %,d records in %.2f s: %,.0f records/s, %.1f MB/s; process CPU %.1f s;"
        + " GC %d ms; load %s%n", name, p.records(), seconds, p.records() / seconds,
        p.bytes() / seconds / 1e6, p.processCpuNs() / 1e9, p.gcMs(), p.load());
    if (cleaner != null) {
      System.out.printf("  cleaner meanwhile: %.2f s of CPU (%.0f%% of the phase), %d MB of dirty"
          + " log cleaned: %.0f MB/s of the phase's wall time, %.0f MB/s per cleaner CPU second%n",
          cleaner.cpuNs() / 1e9, 100.0 * cleaner.cpuNs() / p.wallNs(),
          cleaner.dirtyBytesCleaned() / 1_000_000, cleaner.dirtyBytesCleaned() / seconds / 1e6,
          cleaner.cpuNs() == 0 ? 0.0 : cleaner.dirtyBytesCleaned() / (cleaner.cpuNs() / 1e9)
              / 1e6);
    }
    System.out.println();
  }

  /**
   * Waits until the cleaner threads use no CPU for {@link #IDLE_MS}: the log's dirty part may
   * stay below min.cleanable.dirty.ratio, so "cleaned up to the active segment" may never come.
   */
  private static void awaitCleanerIdle() throws InterruptedException {
    long deadlineNs = System.nanoTime() + IDLE_WAIT_MAX_MS * 1_000_000L;
    long last = cleanerCpuNs();
    while (System.nanoTime() < deadlineNs) {
      Thread.sleep(IDLE_MS);
      long now = cleanerCpuNs();
      if (now - last < 10_000_000L) { // under 10 ms of CPU in IDLE_MS: parked between passes
        return;
      }
      last = now;
    }
    throw new IllegalStateException("the cleaner is still busy after " + IDLE_WAIT_MAX_MS
        + " ms");
  }

  /** CPU time of the cleaner threads ({@code log-cleaner-<id>}) so far. */
  private static long cleanerCpuNs() {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("log-cleaner-")) {
        total += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
      }
    }
    return total;
  }

  private static long gcMs() {
    long total = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
