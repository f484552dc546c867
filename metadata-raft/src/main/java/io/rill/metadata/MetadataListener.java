package io.rill.metadata;

import io.rill.metadata.image.MetadataDelta;

/**
 * Told of every new metadata image, in log order, with what changed. Called on the quorum's
 * apply thread before the command that caused the change is answered, so a broker that gets a
 * CreateTopics response already had its listener run. It must therefore be quick and must not
 * wait on a metadata command (that would deadlock the apply thread); hand slow work off.
 */
@FunctionalInterface
public interface MetadataListener {
  void onUpdate(MetadataDelta delta);
}
