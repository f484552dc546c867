package io.rill.broker.server;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The identity of a data directory, in Kafka's {@code meta.properties} (version 1: cluster.id,
 * node.id). There is no format step: a node reads what its directories say ({@link
 * #readExisting}), learns the cluster id the metadata quorum agreed on, and then writes it to
 * every directory that has none ({@link #ensure}). A directory of another node id or another
 * cluster is refused with a message that names both, rather than silently mixed in.
 */
public record MetaProperties(String clusterId, int nodeId) {
  public static final String FILE_NAME = "meta.properties";

  /**
   * The identity the directories already carry, if any; refuses directories of another node
   * id, or directories that disagree about the cluster.
   */
  public static Optional<MetaProperties> readExisting(List<Path> logDirs, int nodeId)
      throws IOException {
    MetaProperties found = null;
    Path foundIn = null;
    for (Path dir : logDirs) {
      Path file = dir.resolve(FILE_NAME);
      if (!Files.exists(file)) {
        continue;
      }
      MetaProperties m = read(file);
      if (m.nodeId != nodeId) {
        throw new IllegalStateException(file + " belongs to node.id " + m.nodeId
            + ", but this node is node.id " + nodeId + "; refusing to start");
      }
      if (found != null && !found.clusterId.equals(m.clusterId)) {
        throw new IllegalStateException(file + " belongs to cluster " + m.clusterId
            + ", but " + foundIn + " belongs to cluster " + found.clusterId
            + "; refusing to start");
      }
      found = m;
      foundIn = file;
    }
    return Optional.ofNullable(found);
  }

  /**
   * Checks the directories against the cluster id the quorum agreed on and writes it where
   * none is yet (creating the directories).
   */
  public static MetaProperties ensure(List<Path> logDirs, int nodeId, String clusterId)
      throws IOException {
    Optional<MetaProperties> existing = readExisting(logDirs, nodeId);
    if (existing.isPresent() && !existing.get().clusterId.equals(clusterId)) {
      throw new IllegalStateException("the data directories " + logDirs + " belong to cluster "
          + existing.get().clusterId + ", but the metadata quorum this node joined is cluster "
          + clusterId + "; refusing to start (point log.dirs at this cluster's data, or at"
          + " empty directories)");
    }
    MetaProperties meta = new MetaProperties(clusterId, nodeId);
    for (Path dir : logDirs) {
      Files.createDirectories(dir);
      if (!Files.exists(dir.resolve(FILE_NAME))) {
        meta.write(dir);
      }
    }
    return meta;
  }

  static MetaProperties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    String cluster = p.getProperty("cluster.id");
    String node = p.getProperty("node.id");
    if (cluster == null || node == null) {
      throw new IllegalStateException(file + " lacks cluster.id or node.id; refusing to start");
    }
    try {
      return new MetaProperties(cluster, Integer.parseInt(node.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + " has a malformed node.id '" + node + "'", e);
    }
  }

  /** Writes durably: temp file, fsync, atomic rename, fsync of the directory. */
  void write(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("version", "1");
    p.setProperty("cluster.id", clusterId);
    p.setProperty("node.id", Integer.toString(nodeId));
    StringWriter text = new StringWriter();
    p.store(text, "Rill data directory identity");
    DurableFiles.writeAtomically(dir.resolve(FILE_NAME),
        text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Small-file durability used for identity and checkpoints. */
  static final class DurableFiles {
    private DurableFiles() {}

    static void writeAtomically(Path target, byte[] content) throws IOException {
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dirChannel = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        dirChannel.force(true);
      } catch (UncheckedIOException | IOException e) {
        throw new IOException("cannot fsync directory " + target.getParent(), e);
      }
    }
  }
}
