package io.rill.cli.command;

import io.rill.client.Producer;
import io.rill.protocol.record.CompressionType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rill produce TOPIC}: one record per line of standard input, batched and compressed by
 * {@link Producer}. With {@code --key-separator}, the text before the first separator is the key
 * (a line without it has a null key, as kcat does).
 */
@Command(name = "produce", description = "Produce one record per line of standard input.")
public final class ProduceCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "TOPIC",
      description = "The topic to write; created if missing and the broker auto-creates topics.")
  String topic;

  @Option(names = "--key-separator", paramLabel = "SEP",
      description = "Split each line into key SEP value.")
  String keySeparator;

  @Option(names = "--partition", paramLabel = "P",
      description = "Write every record to this partition (default: by key hash, else sticky).")
  Integer partition;

  @Option(names = "--compression", paramLabel = "TYPE", defaultValue = "none",
      description = "none|gzip|snappy|lz4|zstd (default ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "all",
      description = "Acknowledgements to wait for (default ${DEFAULT-VALUE}).")
  String acks;

  @Option(names = "--batch-size", paramLabel = "BYTES", defaultValue = "16384",
      description = "Largest batch per partition (default ${DEFAULT-VALUE}).")
  int batchBytes;

  @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "5",
      description = "How long a batch may wait for more records (default ${DEFAULT-VALUE}).")
  int lingerMs;

  static CompressionType compression(String name, BaseCommand cmd) {
    try {
      return CompressionType.forName(name.toLowerCase(java.util.Locale.ROOT));
    } catch (RuntimeException e) {
      throw cmd.usage("--compression must be none, gzip, snappy, lz4 or zstd: " + name);
    }
  }

  static short acks(String value, BaseCommand cmd) {
    return switch (value) {
      case "0" -> 0;
      case "1" -> 1;
      case "all", "-1" -> -1;
      default -> throw cmd.usage("--acks must be 0, 1 or all: " + value);
    };
  }

  @Override
  void execute() throws Exception {
    CompressionType type = compression(compression, this);
    short ack = acks(acks, this);
    if (batchBytes < 1024 || lingerMs < 0) {
      throw usage("--batch-size must be at least 1024 and --linger-ms not negative");
    }
    AtomicLong batches = new AtomicLong();
    long records = 0;
    try (Producer producer = new Producer(client(), topic, type, ack, batchBytes, lingerMs,
        (n, bytes, appended, count, ackNanos) -> batches.incrementAndGet())) {
      BufferedReader reader = new BufferedReader(
          new InputStreamReader(root().in(), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        byte[] key = null;
        String value = line;
        if (keySeparator != null) {
          int at = line.indexOf(keySeparator);
          if (at >= 0) {
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
          }
        }
        producer.send(partition == null ? -1 : partition, key,
            value.getBytes(StandardCharsets.UTF_8));
        records++;
      }
    }
    if (output().json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("topic", topic);
      doc.put("records", records);
      doc.put("batches", batches.get());
      doc.put("acks", acks);
      doc.put("compression", type.configName);
      output().document(doc);
    } else {
      output().err().println("Produced " + records + " records to " + topic + " in "
          + batches.get() + " batches");
    }
  }
}
