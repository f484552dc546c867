package io.rill.broker.api;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.replica.ReplicaManager;
import io.rill.metadata.MetadataQuorum;

/**
 * What request handlers reach: this node's identity and config, the metadata quorum, the
 * replicas, topic auto-creation and producer-id allocation. Shared by all handler threads;
 * every member is thread-safe.
 */
public record BrokerServices(
    int nodeId,
    String clusterId,
    BrokerConfig config,
    MetadataQuorum quorum,
    ReplicaManager replicas,
    AutoTopicCreator autoTopics,
    ProducerIdManager producerIds) {}
