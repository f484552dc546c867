package io.rill.metadata.image;

import io.rill.metadata.record.ResourceType;
import io.rill.protocol.util.Checks;

/**
 * A resource that holds dynamic configs: a topic by name, or a broker by id ("" is the
 * cluster-wide broker default, as in Kafka).
 */
public record ConfigResource(ResourceType type, String name) implements Comparable<ConfigResource> {
  public ConfigResource {
    Checks.argument(type == ResourceType.TOPIC || type == ResourceType.BROKER,
        "unsupported resource type %s", type);
    Checks.argument(name != null, "null resource name");
  }

  public static ConfigResource topic(String name) {
    return new ConfigResource(ResourceType.TOPIC, name);
  }

  public static ConfigResource broker(String name) {
    return new ConfigResource(ResourceType.BROKER, name);
  }

  @Override
  public int compareTo(ConfigResource o) {
    int c = Integer.compare(type.getNumber(), o.type.getNumber());
    return c != 0 ? c : name.compareTo(o.name);
  }
}
