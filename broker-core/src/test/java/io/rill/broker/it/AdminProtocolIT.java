package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin APIs at every version we advertise and the cases the Admin client never sends
 * (it removes duplicates, no longer has the legacy alterConfigs, routes a broker resource to
 * that broker): requests built and parsed by kafka-clients' own message classes, sent over a
 * plain socket to a real node.
 */
class AdminProtocolIT {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** Sends one request at {@code version} on a fresh connection and parses the answer. */
  static <R extends AbstractResponse> R send(AbstractRequest.Builder<?> builder, int version)
      throws IOException {
    return OfficialRequests.send(node.port(), builder, version);
  }

  static CreatableTopic topic(String name, int partitions) {
    return new CreatableTopic().setName(name).setNumPartitions(partitions)
        .setReplicationFactor((short) 1);
  }

  static CreateTopicsResponse createTopics(int version, CreatableTopic... topics)
      throws IOException {
    CreatableTopicCollection collection = new CreatableTopicCollection();
    for (CreatableTopic t : topics) {
      collection.add(t.duplicate());
    }
    return send(new CreateTopicsRequest.Builder(new CreateTopicsRequestData()
        .setTopics(collection).setTimeoutMs(10_000)), version);
  }

  @Test
  void createTopicsAtEveryVersion() throws IOException {
    for (int v = 2; v <= 7; v++) {
      CreatableTopicResult r = createTopics(v, topic("created-v" + v, 2))
          .data().topics().find("created-v" + v);
      assertThat(r.errorCode()).as("v%s", v).isEqualTo(Errors.NONE.code());
      if (v >= 5) {
        assertThat(r.numPartitions()).isEqualTo(2);
        assertThat(r.replicationFactor()).isEqualTo((short) 1);
        assertThat(r.configs()).isNotEmpty();
      }
      if (v >= 7) {
        assertThat(r.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
      }
    }
  }

  @Test
  void aNameGivenTwiceInOneRequestIsRefusedOnce() throws IOException {
    CreateTopicsResponse response = createTopics(7, topic("dup", 1), topic("dup", 2),
        topic("single", 1));
    List<CreatableTopicResult> dups = response.data().topics().stream()
        .filter(t -> t.name().equals("dup")).toList();
    assertThat(dups).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
      assertThat(r.errorMessage()).isEqualTo("Duplicate topic name.");
    });
    assertThat(response.data().topics().find("single").errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(node.node().logManager().log(new TopicPartition("dup", 0))).isEmpty();
  }

  @Test
  void deleteTopicsAtEveryVersionAndItsIllFormedRequests() throws IOException {
    for (int v = 1; v <= 6; v++) {
      String name = "deleted-v" + v;
      createTopics(7, topic(name, 1));
      DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTimeoutMs(10_000);
      if (v < 6) {
        data.setTopicNames(List.of(name));
      } else {
        data.setTopics(List.of(new DeleteTopicState().setName(name)));
      }
      DeleteTopicsResponse response = send(new DeleteTopicsRequest.Builder(data), v);
      assertThat(response.data().responses().find(name).errorCode()).as("v%s", v)
          .isEqualTo(Errors.NONE.code());
    }

    Uuid id = createTopics(7, topic("both-ways", 1)).data().topics().find("both-ways").topicId();
    DeleteTopicsResponse response = send(new DeleteTopicsRequest.Builder(
        new DeleteTopicsRequestData().setTimeoutMs(10_000).setTopics(List.of(
            new DeleteTopicState().setName("both-ways").setTopicId(id),
            new DeleteTopicState().setName(null).setTopicId(Uuid.ZERO_UUID)))), 6);
    assertThat(response.data().responses()).hasSize(2).allSatisfy(r ->
        assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
    assertThat(node.node().logManager().log(new TopicPartition("both-ways", 0))).isPresent();

    response = send(new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
        .setTimeoutMs(10_000).setTopics(List.of(new DeleteTopicState().setName(null)
            .setTopicId(Uuid.randomUuid())))), 6);
    DeletableTopicResult unknown = response.data().responses().iterator().next();
    assertThat(unknown.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    assertThat(unknown.name()).isNull();
  }

  @Test
  void createPartitionsAtEveryVersion() throws IOException {
    createTopics(7, topic("grown", 1));
    for (int v = 0; v <= 3; v++) {
      CreatePartitionsResponse response = send(new CreatePartitionsRequest.Builder(
          new CreatePartitionsRequestData().setTimeoutMs(10_000).setTopics(
              new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(
                  new CreatePartitionsRequestData.CreatePartitionsTopic().setName("grown")
                      .setCount(2 + v).setAssignments(null)).iterator()))), v);
      assertThat(response.data().results()).singleElement().satisfies(r ->
          assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
    }
    assertThat(node.node().logManager().log(new TopicPartition("grown", 4))).isPresent();
  }

  static DescribeConfigsResult describeConfigs(int version, ConfigResource.Type type, String name,
      List<String> keys) throws IOException {
    DescribeConfigsResponse response = send(new DescribeConfigsRequest.Builder(
        new DescribeConfigsRequestData().setIncludeSynonyms(version >= 1)
            .setIncludeDocumentation(version >= 3)
            .setResources(List.of(new DescribeConfigsResource().setResourceType(type.id())
                .setResourceName(name).setConfigurationKeys(keys)))), version);
    return response.data().results().get(0);
  }

  @Test
  void describeConfigsAtEveryVersionWithAKeyFilter() throws IOException {
    createTopics(7, topic("filtered", 1));
    for (int v = 1; v <= 4; v++) {
      DescribeConfigsResult result = describeConfigs(v, ConfigResource.Type.TOPIC, "filtered",
          List.of("retention.ms", "cleanup.policy", "not.a.config"));
      assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name)
          .containsExactlyInAnyOrder("retention.ms", "cleanup.policy");
      result.configs().forEach(c -> assertThat(c.synonyms()).isNotEmpty());
    }
  }

  @Test
  void describeConfigsRefusesOtherBrokersAndUnsupportedTypes() throws IOException {
    assertThat(describeConfigs(4, ConfigResource.Type.BROKER, "7", null).errorCode())
        .isEqualTo(Errors.INVALID_REQUEST.code());
    assertThat(describeConfigs(4, ConfigResource.Type.BROKER_LOGGER, "1", null).errorCode())
        .isEqualTo(Errors.INVALID_REQUEST.code());
    assertThat(describeConfigs(4, ConfigResource.Type.TOPIC, "bad name", null).errorCode())
        .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
  }

  @Test
  void legacyAlterConfigsReplacesEveryOverride() throws IOException {
    createTopics(7, topic("replaced", 1).setConfigs(
        new CreateTopicsRequestData.CreatableTopicConfigCollection(List.of(
            new CreateTopicsRequestData.CreatableTopicConfig().setName("max.message.bytes")
                .setValue("2000"),
            new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms")
                .setValue("60000")).iterator())));
    for (int v = 0; v <= 2; v++) {
      AlterConfigsResponse response = send(new AlterConfigsRequest.Builder(Map.of(
          new ConfigResource(ConfigResource.Type.TOPIC, "replaced"),
          new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry(
              "retention.ms", Integer.toString(5000 + v))))), false), v);
      assertThat(response.data().responses()).singleElement().satisfies(r ->
          assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
    }
    Map<String, DescribeConfigsResourceResult> configs = describeConfigs(4,
        ConfigResource.Type.TOPIC, "replaced", null).configs().stream()
        .collect(Collectors.toMap(DescribeConfigsResourceResult::name, c -> c));
    assertThat(configs.get("retention.ms").value()).isEqualTo("5002");
    assertThat(configs.get("max.message.bytes").value()).isEqualTo("1048588");
    assertThat(configs.get("max.message.bytes").configSource())
        .isEqualTo(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id());
    var log = node.node().logManager().log(new TopicPartition("replaced", 0)).orElseThrow();
    assertThat(log.config().retentionMs()).isEqualTo(5002L);
    assertThat(log.config().maxMessageBytes()).isEqualTo(1048588);
  }

  @Test
  void legacyAlterConfigsReplacesABrokersDynamicConfigsAndRefusesReadOnlyKeys()
      throws IOException {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
    for (int v = 0; v <= 2; v++) {
      AlterConfigsResponse response = send(new AlterConfigsRequest.Builder(Map.of(broker,
          new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry(
              "log.retention.hours", Integer.toString(5 + v))))), false), v);
      assertThat(response.data().responses()).singleElement().satisfies(r ->
          assertThat(r.errorCode()).isEqualTo(Errors.NONE.code()));
    }
    DescribeConfigsResourceResult hours = describeConfigs(4, ConfigResource.Type.BROKER, "1",
        List.of("log.retention.hours")).configs().get(0);
    assertThat(hours.value()).isEqualTo("7");
    assertThat(hours.configSource())
        .isEqualTo(DescribeConfigsResponse.ConfigSource.DYNAMIC_BROKER_CONFIG.id());
    assertThat(hours.readOnly()).isFalse();

    AlterConfigsResponse refused = send(new AlterConfigsRequest.Builder(Map.of(broker,
        new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry(
            "num.io.threads", "2")))), false), 2);
    assertThat(refused.data().responses()).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
      assertThat(r.errorMessage())
          .startsWith("Cannot update these configs dynamically: num.io.threads");
    });

    // An empty set replaces the broker's dynamic configs with none.
    send(new AlterConfigsRequest.Builder(Map.of(broker,
        new AlterConfigsRequest.Config(List.of())), false), 2);
    hours = describeConfigs(4, ConfigResource.Type.BROKER, "1",
        List.of("log.retention.hours")).configs().get(0);
    assertThat(hours.value()).isEqualTo("168");
    assertThat(hours.configSource())
        .isEqualTo(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id());
  }

  @Test
  void everyAdminApiIsAdvertisedWithItsVersions() throws IOException {
    ApiVersionsResponse response = send(new ApiVersionsRequest.Builder(), 3);
    Map<Short, ApiVersion> advertised = response.data().apiKeys().stream()
        .collect(Collectors.toMap(ApiVersion::apiKey, k -> k));
    Map<ApiKeys, int[]> expected = Map.ofEntries(
        Map.entry(ApiKeys.CREATE_TOPICS, new int[] {2, 7}),
        Map.entry(ApiKeys.DELETE_TOPICS, new int[] {1, 6}),
        Map.entry(ApiKeys.CREATE_PARTITIONS, new int[] {0, 3}),
        Map.entry(ApiKeys.DESCRIBE_CONFIGS, new int[] {1, 4}),
        Map.entry(ApiKeys.ALTER_CONFIGS, new int[] {0, 2}),
        Map.entry(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new int[] {0, 1}),
        Map.entry(ApiKeys.DESCRIBE_CLUSTER, new int[] {0, 1}),
        Map.entry(ApiKeys.DESCRIBE_LOG_DIRS, new int[] {1, 4}),
        Map.entry(ApiKeys.ELECT_LEADERS, new int[] {0, 2}),
        Map.entry(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new int[] {0, 1}),
        Map.entry(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new int[] {0, 0}),
        Map.entry(ApiKeys.UNREGISTER_BROKER, new int[] {0, 0}));
    expected.forEach((api, range) -> {
      assertThat(advertised).as(api.name).containsKey(api.id);
      assertThat(advertised.get(api.id).minVersion()).as(api.name).isEqualTo((short) range[0]);
      assertThat(advertised.get(api.id).maxVersion()).as(api.name).isEqualTo((short) range[1]);
    });
  }

  @Test
  void describeClusterAtBothVersions() throws IOException {
    for (int v = 0; v <= 1; v++) {
      DescribeClusterResponse response = send(new DescribeClusterRequest.Builder(
          new DescribeClusterRequestData()), v);
      assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(response.data().clusterId()).isEqualTo(node.node().clusterId());
      assertThat(response.data().controllerId()).isEqualTo(1);
      assertThat(response.data().brokers()).singleElement().satisfies(b -> {
        assertThat(b.brokerId()).isEqualTo(1);
        assertThat(b.host()).isEqualTo("127.0.0.1");
        assertThat(b.port()).isEqualTo(node.port());
      });
    }
    DescribeClusterResponse controllers = send(new DescribeClusterRequest.Builder(
        new DescribeClusterRequestData().setEndpointType((byte) 2)), 1);
    assertThat(controllers.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
  }
}
