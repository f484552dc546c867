package io.rill.broker.metadata;

import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the metadata a {@link io.rill.metadata.MetadataSource} delivers to this broker, on its
 * own thread ({@code metadata-loader-<id>}), never on the Raft apply thread: first the replica
 * layer (create, delete, lead or follow partitions; load or unload coordinators: {@code
 * applier}), then it publishes the image to the {@link MetadataCache} that handlers read.
 *
 * <p>Only the newest offered image is kept: when the loader falls behind, it diffs its last
 * applied image against the newest and skips the ones in between (their changes are in the
 * diff). Images never go back: an offered image at or below the applied offset is ignored.
 *
 * <p>Threads: {@link #offer} from any thread (it only swaps a reference and signals); the rest
 * of the state belongs to the loader thread.
 */
public final class MetadataLoader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetadataLoader.class);

  private final int nodeId;
  private final MetadataCache cache;
  private final Object lock = new Object();
  /** The newest image offered and not yet taken; guarded by {@code lock}. */
  private MetadataImage pending;
  /** The newest image ever offered (for start-up, before the thread runs). */
  private volatile MetadataImage latestOffered = MetadataImage.EMPTY;
  private Thread thread;
  private volatile boolean closed;

  public MetadataLoader(int nodeId, MetadataCache cache) {
    this.nodeId = nodeId;
    this.cache = cache;
  }

  /** Queues the newest image; cheap and non-blocking, so sources may call it anywhere. */
  public void offer(MetadataImage image) {
    synchronized (lock) {
      if (pending == null || image.offset() > pending.offset()) {
        pending = image;
      }
      if (image.offset() > latestOffered.offset()) {
        latestOffered = image;
      }
      lock.notifyAll();
    }
  }

  /** The newest image offered so far, applied or not. */
  public MetadataImage latestOffered() {
    return latestOffered;
  }

  /** Starts applying offered images with {@code applier} (the replica layer), then publishing. */
  public synchronized void start(Consumer<MetadataDelta> applier) {
    thread = new Thread(() -> run(applier), "metadata-loader-" + nodeId);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Consumer<MetadataDelta> applier) {
    MetadataImage applied = MetadataImage.EMPTY;
    while (!closed) {
      MetadataImage next;
      synchronized (lock) {
        while (pending == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        next = pending;
        pending = null;
      }
      if (next == null || (applied != MetadataImage.EMPTY && next.offset() <= applied.offset())) {
        continue;
      }
      MetadataDelta delta = MetadataDelta.between(applied, next);
      try {
        applier.accept(delta);
      } catch (RuntimeException e) {
        // The replica layer logs per partition; this is a bug above that, not a disk error.
        log.error("Applying metadata at offset {} failed", next.offset(), e);
      }
      applied = next;
      cache.publish(delta);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}
