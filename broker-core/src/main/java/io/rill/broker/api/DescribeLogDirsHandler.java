package io.rill.broker.api;

import static io.rill.protocol.message.DescribeLogDirsResponse.RESULTS;

import io.rill.broker.log.LogManager;
import io.rill.broker.log.PartitionLog;
import io.rill.broker.log.TopicPartition;
import io.rill.broker.replica.Partition;
import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeLogDirsRequest;
import io.rill.protocol.message.DescribeLogDirsResponse;
import io.rill.protocol.schema.Struct;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeLogDirs (v1-4, KIP-113/KIP-827), so {@code Admin.describeLogDirs}, {@code
 * Admin.describeReplicaLogDirs} and {@code kafka-log-dirs --describe} work: for each of this
 * broker's log dirs (in {@code log.dirs} order) its absolute path and either KAFKA_STORAGE_ERROR
 * (offline after a disk error) or the replicas it holds, each with its size in bytes and offset
 * lag, and from v4 the total and usable bytes of the volume it is on.
 *
 * <p>The request names partitions, or null for all of them; partitions this broker holds no
 * replica of, and unknown topics, are simply absent (as in Kafka). The offset lag is Kafka's
 * for a current (not future) replica: high watermark minus log end offset, never below 0
 * ({@code ReplicaManager.getLogEndOffsetLag}), -1 when the log has no live replica (being
 * deleted). No replica is ever a future one: Rill does not move replicas between dirs.
 *
 * <p>A replica of a compacted topic also carries Rill's tagged fields (from v2): its cleanable
 * ratio, when its last cleaning ended and whether it is marked uncleanable.
 */
final class DescribeLogDirsHandler implements ApiHandler {
  private static final Logger log = LoggerFactory.getLogger(DescribeLogDirsHandler.class);
  /** Kafka's DescribeLogDirsResponse.INVALID_OFFSET_LAG: a log with no live replica. */
  static final long INVALID_OFFSET_LAG = -1L;

  private final BrokerServices services;

  DescribeLogDirsHandler(BrokerServices services) {
    this.services = services;
  }

  @Override
  public void handle(RequestContext ctx, Struct request) {
    Predicate<TopicPartition> wanted = wanted(request.get(DescribeLogDirsRequest.TOPICS));
    LogManager logs = services.replicas().logManager();
    Map<Path, List<PartitionLog>> byDir = new TreeMap<>();
    for (PartitionLog l : logs.logs().values()) {
      if (wanted.test(l.partition())) {
        byDir.computeIfAbsent(absolute(l.logDir()), d -> new ArrayList<>()).add(l);
      }
    }
    Struct response = new Struct(DescribeLogDirsResponse.SCHEMA)
        .set(DescribeLogDirsResponse.ERROR_CODE, Errors.NONE.code);
    for (Path dir : logs.logDirs()) {
      Struct result = response.addElement(RESULTS)
          .set(DescribeLogDirsResponse.LOG_DIR, absolute(dir).toString());
      if (logs.isOffline(dir) || !describeVolume(dir, result)) {
        result.set(DescribeLogDirsResponse.RESULT_ERROR_CODE, Errors.KAFKA_STORAGE_ERROR.code);
        continue;
      }
      result.set(DescribeLogDirsResponse.RESULT_ERROR_CODE, Errors.NONE.code);
      addTopics(result, logs, byDir.getOrDefault(absolute(dir), List.of()));
    }
    ctx.respond(response);
  }

  /** Every partition for a null list, else the named ones. */
  private static Predicate<TopicPartition> wanted(List<Struct> topics) {
    if (topics == null) {
      return tp -> true;
    }
    Set<TopicPartition> named = new HashSet<>();
    for (Struct t : topics) {
      for (int partition : t.get(DescribeLogDirsRequest.PARTITIONS)) {
        named.add(new TopicPartition(t.get(DescribeLogDirsRequest.TOPIC), partition));
      }
    }
    return named::contains;
  }

  /**
   * Sets the volume's total and usable bytes; false when the file system cannot tell them
   * (the directory is gone or unreadable: its logs cannot be trusted to be there either).
   */
  private static boolean describeVolume(Path dir, Struct result) {
    try {
      FileStore store = Files.getFileStore(dir);
      result.set(DescribeLogDirsResponse.TOTAL_BYTES, volumeBytes(store.getTotalSpace()))
          .set(DescribeLogDirsResponse.USABLE_BYTES, volumeBytes(store.getUsableSpace()));
      return true;
    } catch (IOException e) {
      log.warn("Cannot read the file system of log dir {}", dir, e);
      return false;
    }
  }

  /** A volume over 8 EiB overflows to a negative long (JDK-8162520); Kafka reports the max. */
  private static long volumeBytes(long reported) {
    return reported < 0 ? Long.MAX_VALUE : reported;
  }

  /** The dir's logs grouped by topic, topics and partitions in ascending order. */
  private void addTopics(Struct result, LogManager logs, List<PartitionLog> inDir) {
    Struct topic = null;
    List<PartitionLog> sorted = new ArrayList<>(inDir);
    sorted.sort(Comparator.comparing((PartitionLog l) -> l.partition().topic())
        .thenComparingInt(l -> l.partition().partition()));
    for (PartitionLog l : sorted) {
      TopicPartition tp = l.partition();
      if (topic == null || !topic.get(DescribeLogDirsResponse.TOPIC_NAME).equals(tp.topic())) {
        topic = result.addElement(DescribeLogDirsResponse.TOPICS)
            .set(DescribeLogDirsResponse.TOPIC_NAME, tp.topic());
      }
      Struct partition = topic.addElement(DescribeLogDirsResponse.PARTITIONS)
          .set(DescribeLogDirsResponse.PARTITION_INDEX, tp.partition())
          .set(DescribeLogDirsResponse.PARTITION_SIZE, l.sizeInBytes())
          .set(DescribeLogDirsResponse.OFFSET_LAG, offsetLag(l))
          .set(DescribeLogDirsResponse.IS_FUTURE_KEY, false);
      logs.cleaningStatus(l).ifPresent(status -> partition
          .set(DescribeLogDirsResponse.RILL_CLEANABLE_RATIO, status.cleanableRatio())
          .set(DescribeLogDirsResponse.RILL_LAST_CLEANING_MS, status.lastCleaningMs())
          .set(DescribeLogDirsResponse.RILL_UNCLEANABLE, status.uncleanable()));
    }
  }

  private long offsetLag(PartitionLog l) {
    return services.replicas().partition(l.partition()).map(Partition::highWatermark)
        .map(hw -> Math.max(hw - l.logEndOffset(), 0L)).orElse(INVALID_OFFSET_LAG);
  }

  private static Path absolute(Path dir) {
    return dir.toAbsolutePath().normalize();
  }

  @Override
  public Struct errorResponse(RequestContext ctx, Struct request, Errors error) {
    // Before v3 there is no top-level error: the client sees an empty list of dirs.
    return new Struct(DescribeLogDirsResponse.SCHEMA)
        .set(DescribeLogDirsResponse.ERROR_CODE, error.code);
  }
}
