package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Fetcher;
import io.rill.client.Fetcher.ConsumedRecord;
import io.rill.client.KafkaClient;
import io.rill.client.Producer;
import io.rill.protocol.Errors;
import io.rill.protocol.record.CompressionType;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rill perf produce|consume}: kafka-producer-perf-test / kafka-consumer-perf-test. Every
 * {@code --reporting-interval-ms} (5 s) a progress line reports the interval just past (records,
 * rate, and for produce the ack latency), as Kafka's tools do: on stdout with table output, on
 * stderr with JSON output so stdout stays one document. The final summary follows, as a table or
 * one JSON document.
 */
@Command(name = "perf", description = "Measure produce and consume throughput.",
    subcommands = {PerfCommand.Produce.class, PerfCommand.Consume.class})
public final class PerfCommand {
  /** Kafka's perf tools report every 5 s. */
  static final String REPORTING_INTERVAL_DEFAULT_MS = "5000";
  /** Latency samples kept (a stride is used beyond this), bounding memory. */
  static final int LATENCY_SAMPLES_MAX = 2_000_000;
  static final double MIB = 1024.0 * 1024.0;

  /** Where progress lines go: stdout, unless it carries a JSON document. */
  static PrintStream progressStream(BaseCommand cmd) {
    return cmd.output().json() ? cmd.output().err() : cmd.output().out();
  }

  /** Counts for the progress line of the interval just past. */
  record Window(long records, long sumMicros, long maxMicros) {
    double avgMs() {
      return records == 0 ? 0.0 : sumMicros / 1000.0 / records;
    }
  }

  /** Collects per-record latencies (micros) from acks; thread-safe via synchronized. */
  static final class Latencies {
    private final int[] samples;
    private final int stride;
    private int size;
    private long seen;
    private long sumMicros;
    private long maxMicros;
    private long windowSeen;
    private long windowSumMicros;
    private long windowMaxMicros;

    Latencies(long records) {
      this.stride = (int) Math.max(1, (records + LATENCY_SAMPLES_MAX - 1) / LATENCY_SAMPLES_MAX);
      this.samples = new int[(int) Math.min(records, LATENCY_SAMPLES_MAX) + 1];
    }

    synchronized void add(long micros) {
      sumMicros += micros;
      maxMicros = Math.max(maxMicros, micros);
      windowSeen++;
      windowSumMicros += micros;
      windowMaxMicros = Math.max(windowMaxMicros, micros);
      if (seen++ % stride == 0 && size < samples.length) {
        samples[size++] = (int) Math.min(Integer.MAX_VALUE, micros);
      }
    }

    synchronized long count() {
      return seen;
    }

    /** The acks since the last call, and starts a new window. */
    synchronized Window takeWindow() {
      Window w = new Window(windowSeen, windowSumMicros, windowMaxMicros);
      windowSeen = 0;
      windowSumMicros = 0;
      windowMaxMicros = 0;
      return w;
    }

    synchronized Map<String, Object> summary() {
      int[] sorted = Arrays.copyOf(samples, size);
      Arrays.sort(sorted);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("latencyAvgMs", seen == 0 ? 0.0 : round(sumMicros / 1000.0 / seen));
      m.put("latencyMaxMs", round(maxMicros / 1000.0));
      m.put("latencyP50Ms", pct(sorted, 0.50));
      m.put("latencyP95Ms", pct(sorted, 0.95));
      m.put("latencyP99Ms", pct(sorted, 0.99));
      m.put("latencyP999Ms", pct(sorted, 0.999));
      return m;
    }

    private static double pct(int[] sorted, double q) {
      if (sorted.length == 0) {
        return 0.0;
      }
      return round(sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000.0);
    }
  }

  static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  static void printSummary(BaseCommand cmd, Map<String, Object> summary) {
    if (cmd.output().json()) {
      cmd.output().document(summary);
    } else {
      List<Map<String, Object>> rows = new java.util.ArrayList<>();
      summary.forEach((k, v) -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("metric", k);
        row.put("value", v);
        rows.add(row);
      });
      cmd.output().table(List.of("metric", "value"), rows);
    }
  }

  @Command(name = "produce", description = "Produce N records of B bytes as fast as allowed.")
  static final class Produce extends BaseCommand {
    @Option(names = "--topic", required = true, paramLabel = "T",
        description = "The topic to write; created if missing and the broker auto-creates topics.")
    String topic;

    @Option(names = "--records", required = true, paramLabel = "N",
        description = "How many records to send.")
    long records;

    @Option(names = "--record-size", required = true, paramLabel = "B",
        description = "Bytes of each record's value (random letters, no key).")
    int recordSize;

    @Option(names = "--throughput", paramLabel = "R", defaultValue = "-1",
        description = "Records per second at most; -1 unthrottled.")
    long throughput;

    @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "1",
        description = "Acknowledgements to wait for (default ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = "--compression", paramLabel = "TYPE", defaultValue = "none",
        description = "none|gzip|snappy|lz4|zstd (default ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--batch-size", paramLabel = "BYTES", defaultValue = "16384",
        description = "Largest batch per partition (default ${DEFAULT-VALUE}).")
    int batchBytes;

    @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "5",
        description = "How long a batch may wait for more records (default ${DEFAULT-VALUE}).")
    int lingerMs;

    @Option(names = "--reporting-interval-ms", paramLabel = "MS",
        defaultValue = REPORTING_INTERVAL_DEFAULT_MS,
        description = "Time between two progress lines (default ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Override
    void execute() throws Exception {
      if (records <= 0 || recordSize < 0 || throughput == 0 || reportingIntervalMs <= 0) {
        throw usage("--records and --reporting-interval-ms must be positive, --record-size not"
            + " negative, --throughput not 0");
      }
      CompressionType type = ProduceCommand.compression(compression, this);
      short ack = ProduceCommand.acks(acks, this);
      Latencies latencies = new Latencies(records);
      byte[] payload = new byte[recordSize];
      SplittableRandom random = new SplittableRandom(42);
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) ('a' + random.nextInt(26));
      }
      PrintStream progress = progressStream(this);
      long intervalNanos = reportingIntervalMs * 1_000_000L;
      long start = System.nanoTime();
      long windowStart = start;
      try (Producer producer = new Producer(client(), topic, type, ack, batchBytes, lingerMs,
          (n, bytes, appended, count, ackNanos) -> {
            for (int i = 0; i < count; i++) {
              latencies.add((ackNanos - appended[i]) / 1000);
            }
          })) {
        for (long i = 0; i < records; i++) {
          if (throughput > 0) {
            long due = start + i * 1_000_000_000L / throughput;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
          }
          producer.send(-1, null, payload);
          long now = System.nanoTime();
          if (now - windowStart >= intervalNanos) {
            progress(progress, latencies.takeWindow(), now - windowStart);
            windowStart = now;
          }
        }
      }
      double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("topic", topic);
      s.put("records", records);
      s.put("recordSize", recordSize);
      s.put("seconds", round(secs));
      s.put("recordsPerSec", round(records / secs));
      s.put("mibPerSec", round(records * (double) recordSize / MIB / secs));
      s.putAll(latencies.summary());
      printSummary(this, s);
    }

    /** One line per interval, in the words of kafka-producer-perf-test. */
    private void progress(PrintStream out, Window w, long elapsedNanos) {
      double secs = Math.max(1e-9, elapsedNanos / 1e9);
      out.printf("%d records sent, %.1f records/sec (%.2f MiB/sec), %.1f ms avg latency,"
          + " %.1f ms max latency.%n", w.records(), w.records() / secs,
          w.records() * (double) recordSize / MIB / secs, w.avgMs(), w.maxMicros() / 1000.0);
      out.flush();
    }
  }

  @Command(name = "consume", description = "Read N records from the beginning of a topic.")
  static final class Consume extends BaseCommand {
    @Option(names = "--topic", required = true, paramLabel = "T",
        description = "The topic to read, every partition from its start.")
    String topic;

    @Option(names = "--records", required = true, paramLabel = "N",
        description = "How many records to read.")
    long records;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
        description = "Give up when no record arrived for this long (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--reporting-interval-ms", paramLabel = "MS",
        defaultValue = REPORTING_INTERVAL_DEFAULT_MS,
        description = "Time between two progress lines (default ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Override
    void execute() {
      if (records <= 0 || reportingIntervalMs <= 0) {
        throw usage("--records and --reporting-interval-ms must be positive");
      }
      KafkaClient c = client();
      Fetcher fetcher = new Fetcher(c, topic, true);
      fetcher.assign(c.listOffsets(fetcher.layout(), fetcher.layout().partitions(),
          KafkaClient.EARLIEST));
      PrintStream progress = progressStream(this);
      long intervalNanos = reportingIntervalMs * 1_000_000L;
      long start = System.nanoTime();
      long windowStart = start;
      long windowCount = 0;
      long windowBytes = 0;
      long count = 0;
      long bytes = 0;
      long fetches = 0;
      long lastRecord = System.currentTimeMillis();
      while (count < records) {
        List<ConsumedRecord> got = fetcher.poll();
        fetches++;
        for (ConsumedRecord r : got) {
          int size = (r.key() == null ? 0 : r.key().length)
              + (r.value() == null ? 0 : r.value().length);
          bytes += size;
          windowBytes += size;
        }
        count += got.size();
        windowCount += got.size();
        if (!got.isEmpty()) {
          lastRecord = System.currentTimeMillis();
        } else if (System.currentTimeMillis() - lastRecord > timeoutMs) {
          throw new ClientException.Refused(Errors.REQUEST_TIMED_OUT, "only " + count + " of "
              + records + " records arrived within " + timeoutMs + " ms");
        }
        long now = System.nanoTime();
        if (now - windowStart >= intervalNanos) {
          double secs = (now - windowStart) / 1e9;
          progress.printf("%d records read, %.1f records/sec (%.2f MiB/sec), %d in total.%n",
              windowCount, windowCount / secs, windowBytes / MIB / secs, count);
          progress.flush();
          windowStart = now;
          windowCount = 0;
          windowBytes = 0;
        }
      }
      double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("topic", topic);
      s.put("records", count);
      s.put("bytes", bytes);
      s.put("fetches", fetches);
      s.put("seconds", round(secs));
      s.put("recordsPerSec", round(count / secs));
      s.put("mibPerSec", round(bytes / MIB / secs));
      printSummary(this, s);
    }
  }
}
