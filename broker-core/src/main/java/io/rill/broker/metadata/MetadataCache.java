package io.rill.broker.metadata;

import io.rill.metadata.MetadataListener;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata image this broker's request handlers read: the last one the {@link
 * MetadataLoader} has applied to the replica layer, so a handler never sees a partition the
 * replica layer does not know yet. Also where code waits for the image to reach an offset
 * (an admin request waits for its own command's effect before it answers).
 *
 * <p>Threads: {@link #image} from any thread (a volatile read); {@link #publish} only from the
 * loader thread, which also runs the listeners, in offset order.
 */
public final class MetadataCache {
  private static final Logger log = LoggerFactory.getLogger(MetadataCache.class);

  private volatile MetadataImage image = MetadataImage.EMPTY;
  private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
  /** offset -> futures waiting for the image to reach it; guarded by itself. */
  private final TreeMap<Long, List<CompletableFuture<MetadataImage>>> waiters = new TreeMap<>();

  public MetadataImage image() {
    return image;
  }

  /** Called on the loader thread after each published change (never for earlier ones). */
  public void addListener(MetadataListener listener) {
    listeners.add(listener);
  }

  /** Completes (on the loader thread, or at once) when the image has reached {@code offset}. */
  public CompletableFuture<MetadataImage> awaitOffset(long offset) {
    CompletableFuture<MetadataImage> f = new CompletableFuture<>();
    synchronized (waiters) {
      MetadataImage current = image;
      if (current.offset() >= offset) {
        return CompletableFuture.completedFuture(current);
      }
      waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(f);
    }
    return f;
  }

  /** Loader thread only: makes {@code delta.current()} the image, then tells everyone. */
  void publish(MetadataDelta delta) {
    MetadataImage next = delta.current();
    List<CompletableFuture<MetadataImage>> ready = new ArrayList<>();
    synchronized (waiters) {
      image = next;
      Iterator<Map.Entry<Long, List<CompletableFuture<MetadataImage>>>> it =
          waiters.headMap(next.offset(), true).entrySet().iterator();
      while (it.hasNext()) {
        ready.addAll(it.next().getValue());
        it.remove();
      }
    }
    ready.forEach(f -> f.complete(next));
    for (MetadataListener l : listeners) {
      try {
        l.onUpdate(delta);
      } catch (RuntimeException e) {
        log.error("A metadata listener failed at offset {}", next.offset(), e);
      }
    }
  }
}
