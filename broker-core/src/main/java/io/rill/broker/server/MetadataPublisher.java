package io.rill.broker.server;

import io.rill.broker.log.LogManager;
import io.rill.broker.replica.ReplicaManager;
import io.rill.broker.replica.ReplicationThrottle;
import io.rill.metadata.MetadataListener;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataDelta;
import io.rill.metadata.record.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each metadata change to this broker's replica layer: creates, updates and deletes
 * local replicas, and applies changed topic configs to their logs live — those of every topic
 * when a dynamic broker config this broker reads (BROKER "" or its own id) changed, since the
 * broker's log.* settings are the defaults of every topic without an override — and the log
 * cleaner's settings, which may change at run time too.
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
  private final int nodeId;

  MetadataPublisher(int nodeId, ReplicaManager replicas, LogManager logManager,
      TopicConfigResolver topicConfigs) {
    this.nodeId = nodeId;
    this.replicas = replicas;
    this.logManager = logManager;
    this.topicConfigs = topicConfigs;
  }

  @Override
  public void onUpdate(MetadataDelta delta) {
    try {
      replicas.apply(delta);
      var broker = topicConfigs.brokerAt(delta.current()).config();
      replicas.throttle().update(delta.current(),
          broker.getLong(ReplicationThrottle.LEADER_RATE),
          broker.getLong(ReplicationThrottle.FOLLOWER_RATE));
      if (delta.changedConfigs().stream().anyMatch(topicConfigs::dependsOn)) {
        logManager.reconfigureCleaner(BrokerCleanerSettings.of(broker));
        // A broker default changed: every topic without its own value takes the new one.
        for (String topic : delta.current().topics().keySet()) {
          logManager.updateTopicConfig(topic, topicConfigs.logConfig(topic, delta.current()));
        }
        log.info("Dynamic broker configs at offset {}: cluster default {}, this broker {};"
                + " applied to {} topics", delta.current().offset(),
            delta.current().configs(ConfigResource.broker("")),
            delta.current().configs(ConfigResource.broker(Integer.toString(nodeId))),
            delta.current().topics().size());
        return;
      }
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
