package io.rill.metadata.raft;

import io.rill.metadata.image.ImageBuilder;
import io.rill.metadata.image.ImageRecords;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.SnapshotHeader;
import io.rill.protocol.util.Checks;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The snapshot file: an image written as records.
 *
 * <pre>
 * SnapshotHeader   (length-delimited protobuf: format version, term, index, record count,
 *                   image offset)
 * MetadataRecord * record_count   (each length-delimited)
 * </pre>
 *
 * Integrity: Ratis' md5 side file covers the whole file; reading also checks the count and that
 * nothing follows the last record. Writing is temp file, fsync, atomic rename, fsync directory,
 * so a crash leaves either the old snapshot set or the new one.
 */
final class SnapshotFile {
  static final int FORMAT_VERSION = 1;

  private SnapshotFile() {}

  record Loaded(SnapshotHeader header, MetadataImage image) {}

  static void write(Path file, MetadataImage image, long term, long index) throws IOException {
    List<MetadataRecord> records = ImageRecords.of(image);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch));
      SnapshotHeader.newBuilder().setFormatVersion(FORMAT_VERSION).setTerm(term).setIndex(index)
          .setRecordCount(records.size()).setImageOffset(image.offset()).build()
          .writeDelimitedTo(out);
      for (MetadataRecord r : records) {
        r.writeDelimitedTo(out);
      }
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  static Loaded read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(in);
      Checks.state(header != null, "empty snapshot %s", file);
      Checks.state(header.getFormatVersion() == FORMAT_VERSION,
          "snapshot %s has format %s, expected %s", file, header.getFormatVersion(),
          FORMAT_VERSION);
      ImageBuilder builder = ImageBuilder.empty();
      for (long i = 0; i < header.getRecordCount(); i++) {
        MetadataRecord r = MetadataRecord.parseDelimitedFrom(in);
        Checks.state(r != null, "snapshot %s ends after %s of %s records", file, i,
            header.getRecordCount());
        builder.replay(r);
      }
      Checks.state(in.read() == -1, "snapshot %s has bytes after its last record", file);
      return new Loaded(header, builder.build(header.getImageOffset()));
    }
  }
}
