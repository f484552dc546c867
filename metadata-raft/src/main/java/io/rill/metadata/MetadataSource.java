package io.rill.metadata;

import io.rill.metadata.image.MetadataImage;
import java.util.function.Consumer;

/**
 * How a broker follows the cluster metadata: images in offset order, from the local voter's
 * state machine on a node that is also a controller, from the active controller's long poll on
 * one that is not. A source may skip intermediate images (the consumer diffs whatever it gets
 * against what it applied last), never goes back, and hands each image off without waiting:
 * the consumer must only queue it (it may be called on the Raft apply thread).
 */
public interface MetadataSource extends AutoCloseable {
  /** Starts delivering images to {@code sink}; called once. */
  void start(Consumer<MetadataImage> sink);

  /** Stops delivering; idempotent. */
  @Override
  void close();
}
