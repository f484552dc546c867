package io.rill.broker.server;

import io.rill.broker.log.LogManager;
import io.rill.broker.replica.ReplicaManager;
import io.rill.metadata.MetadataListener;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.record.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each metadata change to this broker's replica layer: creates, updates and deletes
 * local replicas, and applies changed topic configs to their logs live.
 *
 * <p>Runs on the broker's metadata loader thread, before the image is published to request
 * handlers, so a handler never sees a partition the replica layer lacks. Nothing here waits on
 * the controller.
 */
final class MetadataPublisher implements MetadataListener {
  private static final Logger log = LoggerFactory.getLogger(MetadataPublisher.class);

  private final ReplicaManager replicas;
  private final LogManager logManager;
  private final TopicConfigResolver topicConfigs;

  MetadataPublisher(ReplicaManager replicas, LogManager logManager,
      TopicConfigResolver topicConfigs) {
    this.replicas = replicas;
    this.logManager = logManager;
    this.topicConfigs = topicConfigs;
  }

  @Override
  public void onUpdate(MetadataDelta delta) {
    try {
      replicas.apply(delta);
      for (ConfigResource resource : delta.changedConfigs()) {
        if (resource.type() == ResourceType.TOPIC
            && delta.current().topic(resource.name()).isPresent()) {
          logManager.updateTopicConfig(resource.name(),
              topicConfigs.logConfig(resource.name(), delta.current()));
        }
      }
    } catch (RuntimeException e) {
      log.error("Applying metadata at offset {} failed", delta.current().offset(), e);
    }
  }
}
