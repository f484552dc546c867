package io.rill.broker.api;

import io.rill.protocol.ApiKey;

/**
 * Registers the handlers of the admin APIs (topics, partitions, configs, log dirs, cluster, ACLs
 * while security is off).
 */
final class AdminApiHandlers {
  private AdminApiHandlers() {}

  static void registerAll(RequestDispatcher dispatcher, BrokerServices services) {
    dispatcher.register(ApiKey.CREATE_TOPICS, new CreateTopicsHandler(services))
        .register(ApiKey.DELETE_TOPICS, new DeleteTopicsHandler(services))
        .register(ApiKey.CREATE_PARTITIONS, new CreatePartitionsHandler(services))
        .register(ApiKey.DESCRIBE_CONFIGS, new DescribeConfigsHandler(services))
        .register(ApiKey.ALTER_CONFIGS, new AlterConfigsHandler(services))
        .register(ApiKey.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(services))
        .register(ApiKey.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(services))
        .register(ApiKey.DESCRIBE_CLUSTER, new DescribeClusterHandler(services))
        .register(ApiKey.DESCRIBE_QUORUM, new DescribeQuorumHandler(services))
        .register(ApiKey.ELECT_LEADERS, new ElectLeadersHandler(services))
        .register(ApiKey.ALTER_PARTITION_REASSIGNMENTS,
            new AlterPartitionReassignmentsHandler(services))
        .register(ApiKey.LIST_PARTITION_REASSIGNMENTS,
            new ListPartitionReassignmentsHandler(services))
        .register(ApiKey.UNREGISTER_BROKER, new UnregisterBrokerHandler(services))
        .register(ApiKey.DESCRIBE_ACLS, new AclsDisabledHandlers.Describe())
        .register(ApiKey.CREATE_ACLS, new AclsDisabledHandlers.Create());
  }
}
