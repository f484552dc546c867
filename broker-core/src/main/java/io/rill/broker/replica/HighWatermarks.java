package io.rill.broker.replica;

import io.rill.broker.log.LogFiles;
import io.rill.broker.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high watermarks this broker keeps across restarts, in each log dir's {@code
 * replication-offset-checkpoint} (Kafka's name and format). A restarted replica takes its high
 * watermark from here, capped at its log end, rather than trusting its whole log: after a crash
 * the unreplicated tail of a former leader must not become visible to consumers.
 */
final class HighWatermarks {
  private static final Logger LOG = LoggerFactory.getLogger(HighWatermarks.class);

  private HighWatermarks() {}

  /** Every checkpointed high watermark of these log dirs; a damaged file counts as empty. */
  static Map<TopicPartition, Long> read(List<Path> logDirs) {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Path dir : logDirs) {
      Path file = dir.resolve(LogFiles.REPLICATION_OFFSET_CHECKPOINT);
      if (!Files.exists(file)) {
        continue;
      }
      try {
        out.putAll(LogFiles.readOffsetCheckpoint(file));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Ignoring {}: {}; high watermarks there restart from the log start", file,
            e.toString());
      }
    }
    return out;
  }

  /** Writes each log dir's high watermarks (temp file, fsync, rename). */
  static void write(Map<Path, Map<TopicPartition, Long>> byLogDir) throws IOException {
    for (Map.Entry<Path, Map<TopicPartition, Long>> e : byLogDir.entrySet()) {
      LogFiles.writeOffsetCheckpoint(e.getKey().resolve(LogFiles.REPLICATION_OFFSET_CHECKPOINT),
          new LinkedHashMap<>(e.getValue()));
    }
  }
}
