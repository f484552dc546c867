package io.rill.broker.api;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.Endpoint;
import io.rill.broker.replica.ReplicaManager;
import io.rill.metadata.MetadataQuorum;
import java.util.List;

/**
 * What request handlers reach: this node's identity, config and advertised endpoints (with
 * the real ports of listeners bound to port 0), the metadata quorum, the replicas, topic
 * auto-creation, producer-id allocation and effective topic configs. Shared by all handler threads;
 * every member is thread-safe.
 */
public record BrokerServices(
    int nodeId,
    String clusterId,
    BrokerConfig config,
    List<Endpoint> advertisedEndpoints,
    MetadataQuorum quorum,
    ReplicaManager replicas,
    AutoTopicCreator autoTopics,
    ProducerIdManager producerIds,
    TopicConfigs topicConfigs) {}
