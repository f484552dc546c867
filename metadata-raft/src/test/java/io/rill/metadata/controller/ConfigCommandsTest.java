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
    assertThat(incremental(ResourceType.BROKER, "x", op("a", AlterConfigOp.SET, "1")))
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(c.image.configs(ConfigResource.broker(""))).containsEntry("log.retention.ms",
        "1000");
    assertThat(c.image.configs(ConfigResource.broker("1"))).containsEntry("log.retention.ms",
        "2000");
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
