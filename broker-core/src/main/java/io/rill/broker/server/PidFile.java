package io.rill.broker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <first log dir>/rill.pid}: this process's id, so {@code bin/broker stop --data-dir DIR}
 * finds the node from any directory, however it was started (issue 15: stop worked only after
 * {@code -daemon}, from the directory it was started in).
 *
 * <p>Written before the node starts and deleted when the JVM exits. A file naming another live
 * process is left alone: that node owns the directory, and this start is about to fail on its
 * lock or ports. A file left by a killed node names a dead (or reused) pid; {@code bin/broker
 * stop} checks that the pid is a Rill node before signalling it.
 */
public final class PidFile {
  public static final String FILE_NAME = "rill.pid";
  private static final Logger log = LoggerFactory.getLogger(PidFile.class);

  private PidFile() {}

  /** Writes this process's id into {@code logDir} unless a live process has claimed it. */
  public static void claim(Path logDir) {
    Path file = logDir.resolve(FILE_NAME);
    long self = ProcessHandle.current().pid();
    try {
      Optional<Long> owner = read(file);
      if (owner.isPresent() && owner.get() != self
          && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
        log.warn("{} names running process {}; not replacing it", file, owner.get());
        return;
      }
      Files.createDirectories(logDir);
      Path tmp = logDir.resolve(FILE_NAME + ".tmp");
      Files.writeString(tmp, self + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      file.toFile().deleteOnExit();
    } catch (IOException e) {
      // Only `bin/broker stop --data-dir` needs it; the node runs without.
      log.warn("Cannot write {}: {}", file, e.toString());
    }
  }

  static Optional<Long> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
