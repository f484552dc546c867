package io.rill.metadata;

import io.rill.metadata.image.MetadataDelta;

/**
 * Told of metadata changes, in log order, with what changed. On a voter's state machine it is
 * called on the Raft apply thread, so it must only hand the new image off; on a broker's
 * metadata loader it is called on the loader thread after the replica layer has applied the
 * change, and must not wait on a controller request.
 */
@FunctionalInterface
public interface MetadataListener {
  void onUpdate(MetadataDelta delta);
}
