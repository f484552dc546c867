package io.rill.broker.server;

import io.rill.protocol.schema.Uuids;
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
import java.util.Properties;
import java.util.UUID;

/**
 * The identity of a data directory, in Kafka's {@code meta.properties} (version 1: cluster.id,
 * node.id). The first start formats every log directory with one new cluster id; later starts
 * require every directory to carry the same cluster id and this node's id, so a directory of
 * another cluster or node is refused rather than silently mixed in.
 */
public record MetaProperties(String clusterId, int nodeId) {
  public static final String FILE_NAME = "meta.properties";

  /** Formats directories that have no identity yet and verifies those that do. */
  public static MetaProperties formatOrVerify(List<Path> logDirs, int nodeId) throws IOException {
    String clusterId = null;
    for (Path dir : logDirs) {
      Path file = dir.resolve(FILE_NAME);
      if (Files.exists(file)) {
        MetaProperties found = read(file);
        if (found.nodeId != nodeId) {
          throw new IllegalStateException(file + " belongs to node.id " + found.nodeId
              + ", but this node is node.id " + nodeId + "; refusing to start");
        }
        if (clusterId != null && !clusterId.equals(found.clusterId)) {
          throw new IllegalStateException(file + " belongs to cluster " + found.clusterId
              + ", but another log dir belongs to cluster " + clusterId + "; refusing to start");
        }
        clusterId = found.clusterId;
      }
    }
    if (clusterId == null) {
      clusterId = Uuids.toBase64(UUID.randomUUID());
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
