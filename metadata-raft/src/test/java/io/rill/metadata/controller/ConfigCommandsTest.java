package io.rill.metadata.controller;

import static io.rill.metadata.Commands.command;
import static io.rill.metadata.Commands.createTopics;
import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static io.rill.metadata.Commands.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.AlterConfigOp;
import io.rill.metadata.command.AlterConfigsRequest;
import io.rill.metadata.command.AlterConfigsResource;
import io.rill.metadata.command.AlterConfigsResourceResult;
import io.rill.metadata.command.AlterableConfig;
import io.rill.metadata.command.ConfigEntry;
import io.rill.metadata.command.ControllerCommand;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.IncrementalAlterConfigsResource;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.record.ResourceType;
import io.rill.protocol.Errors;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigCommandsTest {
  private final ControllerHarness c = new ControllerHarness();
  private static final ConfigResource T = ConfigResource.topic("t");

  @BeforeEach
  void topicT() {
    long epoch = c.run(register(1, new UUID(1, 1))).getRegisterBroker().getBrokerEpoch();
    c.run(heartbeat(1, epoch, c.offset, false, false));
    c.run(command(createTopics(topic("t", 1, 1, new UUID(5, 5)))));
  }

  private Errors incremental(ResourceType type, String name, AlterableConfig... ops) {
    return incremental(false, type, name, ops);
  }

  private Errors incremental(boolean validateOnly, ResourceType type, String name,
      AlterableConfig... ops) {
    IncrementalAlterConfigsResource.Builder r = IncrementalAlterConfigsResource.newBuilder()
        .setType(type).setName(name);
    for (AlterableConfig op : ops) {
      r.addConfigs(op);
    }
    var resp = c.run(ControllerCommand.newBuilder().setIncrementalAlterConfigs(
        IncrementalAlterConfigsRequest.newBuilder().addResources(r)
            .setValidateOnly(validateOnly)).build());
    return Errors.forCode(resp.getIncrementalAlterConfigs().getResources(0).getErrorCode());
  }

  private static AlterableConfig op(String name, AlterConfigOp op, String value) {
    AlterableConfig.Builder b = AlterableConfig.newBuilder().setName(name).setOp(op);
    if (value != null) {
      b.setValue(value);
    }
    return b.build();
  }

  @Test
  void setAndDeleteChangeOnlyTheNamedKeys() {
    assertThat(incremental(ResourceType.TOPIC, "t", op("retention.ms", AlterConfigOp.SET, "100"),
        op("segment.ms", AlterConfigOp.SET, "200"))).isEqualTo(Errors.NONE);
    assertThat(c.image.configs(T)).isEqualTo(Map.of("retention.ms", "100", "segment.ms", "200"));
    assertThat(incremental(ResourceType.TOPIC, "t", op("segment.ms", AlterConfigOp.DELETE, null)))
        .isEqualTo(Errors.NONE);
    assertThat(c.image.configs(T)).isEqualTo(Map.of("retention.ms", "100"));
  }

  @Test
  void appendAndSubtractWorkOnListsOnly() {
    assertThat(incremental(ResourceType.TOPIC, "t",
        op("cleanup.policy", AlterConfigOp.APPEND, "compact"))).isEqualTo(Errors.NONE);
    assertThat(c.image.configs(T)).containsEntry("cleanup.policy", "delete,compact");
    assertThat(incremental(ResourceType.TOPIC, "t",
        op("cleanup.policy", AlterConfigOp.SUBTRACT, "delete"))).isEqualTo(Errors.NONE);
    assertThat(c.image.configs(T)).containsEntry("cleanup.policy", "compact");
    assertThat(incremental(ResourceType.TOPIC, "t",
        op("retention.ms", AlterConfigOp.APPEND, "5"))).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(incremental(ResourceType.TOPIC, "t",
        op("cleanup.policy", AlterConfigOp.SUBTRACT, "compact")))
        .as("an empty cleanup.policy is invalid").isEqualTo(Errors.INVALID_CONFIG);
  }

  @Test
  void invalidValuesUnknownKeysAndUnknownTopicsAreRefused() {
    assertThat(incremental(ResourceType.TOPIC, "t", op("retention.ms", AlterConfigOp.SET, "-5")))
        .isEqualTo(Errors.INVALID_CONFIG);
    assertThat(incremental(ResourceType.TOPIC, "t", op("bogus", AlterConfigOp.SET, "1")))
        .isEqualTo(Errors.INVALID_CONFIG);
    assertThat(incremental(ResourceType.TOPIC, "t", op("retention.ms", AlterConfigOp.SET, null)))
        .isEqualTo(Errors.INVALID_CONFIG);
    assertThat(incremental(ResourceType.TOPIC, "nope", op("retention.ms", AlterConfigOp.SET, "1")))
        .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(incremental(ResourceType.TOPIC, "t", op("retention.ms", AlterConfigOp.SET, "1"),
        op("retention.ms", AlterConfigOp.DELETE, null))).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(incremental(ResourceType.RESOURCE_TYPE_UNSPECIFIED, "t",
        op("retention.ms", AlterConfigOp.SET, "1"))).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(c.image.configs(T)).isEmpty();
  }

  @Test
  void validateOnlyChangesNothing() {
    assertThat(incremental(true, ResourceType.TOPIC, "t",
        op("retention.ms", AlterConfigOp.SET, "100"))).isEqualTo(Errors.NONE);
    assertThat(c.lastRecords).isEmpty();
  }

  @Test
  void brokerConfigsAreKeptPerBrokerAndForTheClusterDefault() {
    assertThat(incremental(ResourceType.BROKER, "", op("log.retention.ms", AlterConfigOp.SET,
        "1000"))).isEqualTo(Errors.NONE);
    assertThat(incremental(ResourceType.BROKER, "1", op("log.retention.ms", AlterConfigOp.SET,
        "2000"))).isEqualTo(Errors.NONE);
    assertThat(incremental(ResourceType.BROKER, "x", op("log.retention.ms", AlterConfigOp.SET,
        "1"))).isEqualTo(Errors.INVALID_REQUEST);
    assertThat(c.image.configs(ConfigResource.broker(""))).containsEntry("log.retention.ms",
        "1000");
    assertThat(c.image.configs(ConfigResource.broker("1"))).containsEntry("log.retention.ms",
        "2000");
  }

  @Test
  void aBrokerThatIsNotRegisteredCanBeConfiguredAsInKafka() {
    assertThat(incremental(ResourceType.BROKER, "42", op("min.insync.replicas",
        AlterConfigOp.SET, "2"))).isEqualTo(Errors.NONE);
    assertThat(c.image.configs(ConfigResource.broker("42")))
        .isEqualTo(Map.of("min.insync.replicas", "2"));
  }

  @Test
  void brokerKeysThatAreNotDynamicUnknownOrBadAreRefusedNamingTheKey() {
    AlterConfigsResourceResult readOnly =
        brokerResult("1", op("num.io.threads", AlterConfigOp.SET, "4"));
    assertThat(readOnly.getErrorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
    assertThat(readOnly.getErrorMessage())
        .startsWith("Cannot update these configs dynamically: num.io.threads");
    assertThat(brokerResult("", op("no.such.key", AlterConfigOp.SET, "4")).getErrorMessage())
        .isEqualTo("Unknown broker config name: no.such.key");
    assertThat(brokerResult("", op("log.retention.ms", AlterConfigOp.SET, "soon"))
        .getErrorMessage())
        .startsWith("Invalid value soon for configuration log.retention.ms: ");
    assertThat(brokerResult("", op("log.segment.bytes", AlterConfigOp.SET, "1000"))
        .getErrorMessage()).contains("log.segment.bytes").contains("at least 1048576");
    assertThat(brokerResult("", op("log.retention.hours", AlterConfigOp.APPEND, "1"))
        .getErrorMessage()).contains("not a list");
    assertThat(brokerResult("", op("compression.type", AlterConfigOp.SET, "brotli"))
        .getErrorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
    assertThat(c.image.configs(ConfigResource.broker(""))).isEmpty();
    assertThat(c.image.configs(ConfigResource.broker("1"))).isEmpty();
  }

  @Test
  void anyBrokerKeyCanBeDeletedAndListKeysAppendToKafkasDefault() {
    assertThat(incremental(ResourceType.BROKER, "", op("no.such.key", AlterConfigOp.DELETE,
        null))).as("deleting a key that is not set is a no-op").isEqualTo(Errors.NONE);
    assertThat(incremental(ResourceType.BROKER, "", op("log.cleanup.policy",
        AlterConfigOp.APPEND, "compact"))).isEqualTo(Errors.NONE);
    assertThat(c.image.configs(ConfigResource.broker("")))
        .isEqualTo(Map.of("log.cleanup.policy", "delete,compact"));
  }

  @Test
  void legacyAlterConfigsValidatesBrokerKeysToo() {
    var resp = c.run(ControllerCommand.newBuilder().setAlterConfigs(AlterConfigsRequest
        .newBuilder().addResources(AlterConfigsResource.newBuilder().setType(ResourceType.BROKER)
            .setName("").addConfigs(ConfigEntry.newBuilder().setName("log.retention.hours")
                .setValue("1")))
        .addResources(AlterConfigsResource.newBuilder().setType(ResourceType.BROKER)
            .setName("1").addConfigs(ConfigEntry.newBuilder().setName("log.dirs")
                .setValue("/tmp")))).build());
    assertThat(resp.getAlterConfigs().getResources(0).getErrorCode())
        .isEqualTo(Errors.NONE.code);
    assertThat(resp.getAlterConfigs().getResources(1).getErrorMessage())
        .startsWith("Cannot update these configs dynamically: log.dirs");
    assertThat(c.image.configs(ConfigResource.broker("")))
        .isEqualTo(Map.of("log.retention.hours", "1"));
    assertThat(c.image.configs(ConfigResource.broker("1"))).isEmpty();
  }

  private AlterConfigsResourceResult brokerResult(String name, AlterableConfig... ops) {
    IncrementalAlterConfigsResource.Builder r = IncrementalAlterConfigsResource.newBuilder()
        .setType(ResourceType.BROKER).setName(name);
    for (AlterableConfig op : ops) {
      r.addConfigs(op);
    }
    return c.run(ControllerCommand.newBuilder().setIncrementalAlterConfigs(
        IncrementalAlterConfigsRequest.newBuilder().addResources(r)).build())
        .getIncrementalAlterConfigs().getResources(0);
  }

  @Test
  void legacyAlterConfigsReplacesTheWholeSet() {
    incremental(ResourceType.TOPIC, "t", op("retention.ms", AlterConfigOp.SET, "100"));
    var resp = c.run(ControllerCommand.newBuilder().setAlterConfigs(AlterConfigsRequest
        .newBuilder().addResources(AlterConfigsResource.newBuilder().setType(ResourceType.TOPIC)
            .setName("t").addConfigs(ConfigEntry.newBuilder().setName("segment.ms")
                .setValue("300")))).build());
    assertThat(resp.getAlterConfigs().getResources(0).getErrorCode())
        .isEqualTo(Errors.NONE.code);
    assertThat(c.image.configs(T)).isEqualTo(Map.of("segment.ms", "300"));
  }
}
