package io.rill.broker.api;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.Endpoint;
import io.rill.broker.replica.ReplicaManager;
import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.ControllerChannel;
import java.util.List;

/**
 * What request handlers reach: this node's identity, config and advertised endpoints (with
 * the real ports of listeners bound to port 0), the channel to the active controller, the
 * metadata image as applied to this broker's replicas, the replicas, topic
 * auto-creation, producer-id allocation and effective topic configs. Shared by all handler threads;
 * every member is thread-safe.
 */
public record BrokerServices(
    int nodeId,
    String clusterId,
    BrokerConfig config,
    List<Endpoint> advertisedEndpoints,
    ControllerChannel controller,
    MetadataCache metadata,
    ReplicaManager replicas,
    AutoTopicCreator autoTopics,
    ProducerIdManager producerIds,
    TopicConfigs topicConfigs) {}
