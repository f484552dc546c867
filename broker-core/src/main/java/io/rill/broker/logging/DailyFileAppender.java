package io.rill.broker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Appends to {@code <dir>/rill.log}; at the first event of a new local day the file is renamed to
 * {@code rill.<yyyy-MM-dd>.log} (the day it holds) and a new one is started. Only the newest
 * {@code maxHistory} dated files are kept.
 *
 * <p>Thread safety: events arrive from any thread; the day check and the roll happen under
 * {@link #rollLock}, and the stream swap itself is guarded by the superclass's lock. A failure
 * to roll is reported on logback's status channel and logging continues in the old file.
 */
public final class DailyFileAppender extends OutputStreamAppender<ILoggingEvent> {
  static final String ACTIVE_NAME = "rill.log";
  private static final String DATED_PREFIX = "rill.";
  private static final String DATED_SUFFIX = ".log";

  private final Object rollLock = new Object();
  private final ZoneId zone = ZoneId.systemDefault();
  private Path dir;
  private int maxHistory = 7;
  /** The local day the active file holds; guarded by {@link #rollLock}. */
  private LocalDate day;

  public void setDirectory(Path dir) {
    this.dir = dir;
  }

  public void setMaxHistory(int maxHistory) {
    this.maxHistory = maxHistory;
  }

  @Override
  public void start() {
    try {
      Files.createDirectories(dir);
      Path active = dir.resolve(ACTIVE_NAME);
      day = Files.exists(active) ? dayOf(Files.getLastModifiedTime(active).toMillis()) : today();
      setOutputStream(open(active));
    } catch (IOException e) {
      addError("Cannot open the log file in " + dir, e);
      return;
    }
    super.start();
  }

  @Override
  protected void subAppend(ILoggingEvent event) {
    synchronized (rollLock) {
      LocalDate eventDay = dayOf(event.getTimeStamp());
      if (eventDay.isAfter(day)) {
        roll(eventDay);
      }
    }
    super.subAppend(event);
  }

  private void roll(LocalDate newDay) {
    Path active = dir.resolve(ACTIVE_NAME);
    try {
      closeOutputStream();
      Files.move(active, dir.resolve(DATED_PREFIX + day + DATED_SUFFIX),
          StandardCopyOption.REPLACE_EXISTING);
      day = newDay;
      setOutputStream(open(active));
      deleteBeyondHistory();
    } catch (IOException e) {
      addError("Cannot roll " + active, e);
      try {
        setOutputStream(open(active));
      } catch (IOException reopen) {
        addError("Cannot reopen " + active, reopen);
      }
    }
  }

  private void deleteBeyondHistory() throws IOException {
    List<Path> dated = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
        DATED_PREFIX + "????-??-??" + DATED_SUFFIX)) {
      files.forEach(dated::add);
    }
    Collections.sort(dated); // ISO dates sort by name
    for (int i = 0; i < dated.size() - maxHistory; i++) {
      Files.deleteIfExists(dated.get(i));
    }
  }

  private static BufferedOutputStream open(Path file) throws IOException {
    return new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 8192);
  }

  private LocalDate today() {
    return LocalDate.now(zone);
  }

  private LocalDate dayOf(long epochMillis) {
    return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), zone);
  }
}
