package io.rill.metadata.controller;

import io.rill.metadata.command.AlterConfigOp;
import io.rill.metadata.command.AlterConfigsRequest;
import io.rill.metadata.command.AlterConfigsResource;
import io.rill.metadata.command.AlterConfigsResourceResult;
import io.rill.metadata.command.AlterConfigsResponse;
import io.rill.metadata.command.AlterableConfig;
import io.rill.metadata.command.ConfigEntry;
import io.rill.metadata.command.IncrementalAlterConfigsRequest;
import io.rill.metadata.command.IncrementalAlterConfigsResource;
import io.rill.metadata.config.BrokerDynamicConfigs;
import io.rill.metadata.config.ConfigDef;
import io.rill.metadata.config.ConfigType;
import io.rill.metadata.config.TopicConfigs;
import io.rill.metadata.image.ConfigResource;
import io.rill.metadata.image.MetadataImage;
import io.rill.metadata.record.ConfigRecord;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.ResourceType;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * AlterConfigs (the full set replaces the resource's dynamic configs) and
 * IncrementalAlterConfigs (SET / DELETE / APPEND / SUBTRACT per key). Topic configs are checked
 * against {@link TopicConfigs}, broker configs ("" = cluster-wide default, else a broker id)
 * against {@link BrokerDynamicConfigs}. Each resource succeeds or fails on its own.
 *
 * <p>As in Kafka, a broker id need not be registered (a broker may be configured before it
 * first starts), and a refused broker change is INVALID_REQUEST, not INVALID_CONFIG: Kafka
 * kept that code for compatibility (KAFKA-13609). A DELETE of a broker key is accepted for any
 * name, so a key stored by an older version can always be removed.
 */
final class ConfigControl {
  private ConfigControl() {}

  /** A resource's outcome: its new config map, or an error. */
  private record Outcome(Optional<TreeMap<String, String>> configs, Errors error, String message) {
    static Outcome ok(TreeMap<String, String> configs) {
      return new Outcome(Optional.of(configs), Errors.NONE, "");
    }

    static Outcome fail(Errors error, String message) {
      return new Outcome(Optional.empty(), error, message);
    }
  }

  static ControllerResult<AlterConfigsResponse> alterConfigs(
      MetadataImage image, AlterConfigsRequest req) {
    List<MetadataRecord> records = new ArrayList<>();
    AlterConfigsResponse.Builder resp = AlterConfigsResponse.newBuilder();
    Set<ConfigResourceKey> seen = duplicates(req.getResourcesList().stream()
        .map(r -> new ConfigResourceKey(r.getType(), r.getName())).toList());
    for (AlterConfigsResource r : req.getResourcesList()) {
      Outcome outcome = checkResource(image, r.getType(), r.getName(), seen)
          .orElseGet(() -> replaceAll(r));
      finish(image, r.getType(), r.getName(), outcome, req.getValidateOnly(), records, resp);
    }
    return ControllerResult.of(records, resp.build());
  }

  static ControllerResult<AlterConfigsResponse> incrementalAlterConfigs(
      MetadataImage image, IncrementalAlterConfigsRequest req) {
    List<MetadataRecord> records = new ArrayList<>();
    AlterConfigsResponse.Builder resp = AlterConfigsResponse.newBuilder();
    Set<ConfigResourceKey> seen = duplicates(req.getResourcesList().stream()
        .map(r -> new ConfigResourceKey(r.getType(), r.getName())).toList());
    for (IncrementalAlterConfigsResource r : req.getResourcesList()) {
      Outcome outcome = checkResource(image, r.getType(), r.getName(), seen)
          .orElseGet(() -> applyOps(image, r));
      finish(image, r.getType(), r.getName(), outcome, req.getValidateOnly(), records, resp);
    }
    return ControllerResult.of(records, resp.build());
  }

  private record ConfigResourceKey(ResourceType type, String name) {}

  private static Set<ConfigResourceKey> duplicates(List<ConfigResourceKey> keys) {
    Set<ConfigResourceKey> once = new HashSet<>();
    Set<ConfigResourceKey> dups = new HashSet<>();
    for (ConfigResourceKey k : keys) {
      if (!once.add(k)) {
        dups.add(k);
      }
    }
    return dups;
  }

  private static Optional<Outcome> checkResource(
      MetadataImage image, ResourceType type, String name, Set<ConfigResourceKey> duplicates) {
    if (duplicates.contains(new ConfigResourceKey(type, name))) {
      return Optional.of(Outcome.fail(Errors.INVALID_REQUEST, "Duplicate resource in request."));
    }
    if (type == ResourceType.TOPIC) {
      if (image.topic(name).isEmpty()) {
        return Optional.of(Outcome.fail(Errors.UNKNOWN_TOPIC_OR_PARTITION,
            "The topic '" + name + "' does not exist."));
      }
      return Optional.empty();
    }
    if (type == ResourceType.BROKER) {
      if (!name.isEmpty() && !name.chars().allMatch(Character::isDigit)) {
        return Optional.of(Outcome.fail(Errors.INVALID_REQUEST,
            "Broker resource name must be a broker id or empty, not '" + name + "'."));
      }
      return Optional.empty();
    }
    return Optional.of(Outcome.fail(Errors.INVALID_REQUEST, "Unsupported resource type " + type
        + "."));
  }

  private static Outcome replaceAll(AlterConfigsResource r) {
    TreeMap<String, String> next = new TreeMap<>();
    for (ConfigEntry e : r.getConfigsList()) {
      if (!e.hasValue()) {
        return Outcome.fail(Errors.INVALID_REQUEST, "Null value not supported for: "
            + e.getName());
      }
      if (next.put(e.getName(), e.getValue()) != null) {
        return Outcome.fail(Errors.INVALID_REQUEST, "Duplicate config key " + e.getName());
      }
    }
    return validate(r.getType(), next);
  }

  private static Outcome applyOps(MetadataImage image, IncrementalAlterConfigsResource r) {
    ConfigResource resource = new ConfigResource(r.getType(), r.getName());
    TreeMap<String, String> next = new TreeMap<>(image.configs(resource));
    Set<String> keys = new HashSet<>();
    for (AlterableConfig c : r.getConfigsList()) {
      if (!keys.add(c.getName())) {
        return Outcome.fail(Errors.INVALID_REQUEST, "Duplicate config key " + c.getName());
      }
      Optional<KeyInfo> key = KeyInfo.find(r.getType(), c.getName());
      if (key.isEmpty() && !(r.getType() == ResourceType.BROKER
          && c.getOp() == AlterConfigOp.DELETE)) {
        return invalid(r.getType(), r.getType() == ResourceType.TOPIC
            ? "Unknown topic config name: " + c.getName()
            : BrokerDynamicConfigs.notDynamic(c.getName()));
      }
      if (c.getOp() != AlterConfigOp.DELETE && !c.hasValue()) {
        return invalid(r.getType(), "Null value not supported for "
            + c.getOp() + " of " + c.getName());
      }
      switch (c.getOp()) {
        case SET -> next.put(c.getName(), c.getValue());
        case DELETE -> next.remove(c.getName());
        case APPEND, SUBTRACT -> {
          if (key.get().type() != ConfigType.LIST) {
            return invalid(r.getType(), "Config value " + c.getOp()
                + " is not allowed for config key " + c.getName() + " (not a list).");
          }
          String current = next.getOrDefault(c.getName(), key.get().defaultValue().orElse(""));
          next.put(c.getName(), appendOrSubtract(current, c.getValue(),
              c.getOp() == AlterConfigOp.APPEND));
        }
        case UNRECOGNIZED -> {
          return Outcome.fail(Errors.INVALID_REQUEST, "Unknown config operation.");
        }
      }
    }
    return validate(r.getType(), next);
  }

  /** What the alteration of one key needs to know of it, for either resource type. */
  private record KeyInfo(ConfigType type, Optional<String> defaultValue) {
    static Optional<KeyInfo> find(ResourceType resource, String name) {
      if (resource == ResourceType.TOPIC) {
        return TopicConfigs.find(name)
            .map(d -> new KeyInfo(d.type(), Optional.of(d.defaultValue())));
      }
      return BrokerDynamicConfigs.find(name).map(k -> new KeyInfo(k.type(), k.defaultValue()));
    }
  }

  /** A refused value: INVALID_CONFIG for a topic, INVALID_REQUEST for a broker (KAFKA-13609). */
  private static Outcome invalid(ResourceType type, String message) {
    return Outcome.fail(type == ResourceType.BROKER ? Errors.INVALID_REQUEST
        : Errors.INVALID_CONFIG, message);
  }

  private static String appendOrSubtract(String current, String value, boolean append) {
    List<String> items = new ArrayList<>(ConfigDef.parseList(current));
    for (String v : ConfigDef.parseList(value)) {
      if (append && !items.contains(v)) {
        items.add(v);
      } else if (!append) {
        items.remove(v);
      }
    }
    return String.join(",", items);
  }

  private static Outcome validate(ResourceType type, TreeMap<String, String> configs) {
    for (Map.Entry<String, String> e : configs.entrySet()) {
      if (e.getKey().isEmpty()) {
        return invalid(type, "Empty config name.");
      }
      Optional<String> bad = type == ResourceType.TOPIC
          ? TopicConfigs.validate(e.getKey(), e.getValue())
          : BrokerDynamicConfigs.validate(e.getKey(), e.getValue());
      if (bad.isPresent()) {
        return invalid(type, bad.get());
      }
    }
    return Outcome.ok(configs);
  }

  /** Adds the records turning the current configs into the outcome's, and the result. */
  private static void finish(MetadataImage image, ResourceType type, String name,
      Outcome outcome, boolean validateOnly, List<MetadataRecord> records,
      AlterConfigsResponse.Builder resp) {
    resp.addResources(AlterConfigsResourceResult.newBuilder().setType(type).setName(name)
        .setErrorCode(outcome.error().code).setErrorMessage(outcome.message()));
    if (outcome.configs().isEmpty() || validateOnly) {
      return;
    }
    Map<String, String> current = image.configs(new ConfigResource(type, name));
    Map<String, String> next = outcome.configs().get();
    for (String key : current.keySet()) {
      if (!next.containsKey(key)) {
        records.add(configRecord(type, name, key, Optional.empty()));
      }
    }
    for (Map.Entry<String, String> e : next.entrySet()) {
      if (!e.getValue().equals(current.get(e.getKey()))) {
        records.add(configRecord(type, name, e.getKey(), Optional.of(e.getValue())));
      }
    }
  }

  private static MetadataRecord configRecord(
      ResourceType type, String name, String key, Optional<String> value) {
    ConfigRecord.Builder r = ConfigRecord.newBuilder()
        .setResourceType(type).setResourceName(name).setName(key);
    value.ifPresent(r::setValue);
    return MetadataRecord.newBuilder().setConfig(r).build();
  }
}
