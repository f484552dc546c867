package io.rill.metadata.raft;

import io.rill.metadata.MetadataSource;
import io.rill.metadata.image.MetadataImage;
import java.util.function.Consumer;

/**
 * The metadata of a node that is also a voter: each image its own state machine applies, handed
 * over on the Raft apply thread (the sink only queues it).
 */
public final class LocalMetadataSource implements MetadataSource {
  private final RaftMetadataNode node;
  private volatile boolean closed;

  public LocalMetadataSource(RaftMetadataNode node) {
    this.node = node;
  }

  @Override
  public void start(Consumer<MetadataImage> sink) {
    node.addListener(delta -> {
      if (!closed) {
        sink.accept(delta.current());
      }
    });
  }

  @Override
  public void close() {
    closed = true;
  }
}
