package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.message.DescribeConfigsRequest;
import io.rill.protocol.message.DescribeConfigsResponse;
import io.rill.protocol.message.IncrementalAlterConfigsRequest;
import io.rill.protocol.message.IncrementalAlterConfigsResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** DescribeConfigs and IncrementalAlterConfigs for one topic or broker. */
public final class Configs {
  public static final byte TOPIC = 2;
  public static final byte BROKER = 4;
  /** IncrementalAlterConfigs operations (KIP-339). */
  static final byte OP_SET = 0;
  static final byte OP_DELETE = 1;

  /** Kafka's ConfigSource names, by wire id; index 0 is UNKNOWN. */
  private static final String[] SOURCES = {"UNKNOWN", "DYNAMIC_TOPIC_CONFIG",
      "DYNAMIC_BROKER_CONFIG", "DYNAMIC_DEFAULT_BROKER_CONFIG", "STATIC_BROKER_CONFIG",
      "DEFAULT_CONFIG", "DYNAMIC_BROKER_LOGGER_CONFIG", "CLIENT_METRICS_CONFIG", "GROUP_CONFIG"};

  /** One described config entry. */
  public record Entry(String name, String value, String source, boolean readOnly,
      boolean sensitive) {
    public boolean isDefault() {
      return source.equals("DEFAULT_CONFIG") || source.equals("STATIC_BROKER_CONFIG")
          || source.equals("UNKNOWN");
    }
  }

  private Configs() {}

  public static List<Entry> describe(KafkaClient client, byte type, String name) {
    Struct req = new Struct(DescribeConfigsRequest.SCHEMA);
    req.addElement(DescribeConfigsRequest.RESOURCES)
        .set(DescribeConfigsRequest.RESOURCE_TYPE, type)
        .set(DescribeConfigsRequest.RESOURCE_NAME, name)
        .set(DescribeConfigsRequest.CONFIGURATION_KEYS, null);
    Struct resp = connection(client, type, name).send(ApiKey.DESCRIBE_CONFIGS, req);
    Struct r = resp.get(DescribeConfigsResponse.RESULTS).get(0);
    ClientException.check(r.get(DescribeConfigsResponse.ERROR_CODE),
        r.get(DescribeConfigsResponse.ERROR_MESSAGE), describe(type, name));
    List<Entry> entries = new ArrayList<>();
    for (Struct e : r.get(DescribeConfigsResponse.CONFIGS)) {
      int src = e.get(DescribeConfigsResponse.CONFIG_SOURCE);
      boolean sensitive = e.get(DescribeConfigsResponse.CONFIG_IS_SENSITIVE);
      entries.add(new Entry(e.get(DescribeConfigsResponse.CONFIG_NAME),
          sensitive ? null : e.get(DescribeConfigsResponse.CONFIG_VALUE),
          src >= 0 && src < SOURCES.length ? SOURCES[src] : "UNKNOWN",
          e.get(DescribeConfigsResponse.CONFIG_READ_ONLY), sensitive));
    }
    entries.sort((a, b) -> a.name().compareTo(b.name()));
    return entries;
  }

  public static void alter(KafkaClient client, byte type, String name, Map<String, String> set,
      List<String> delete) {
    Struct req = new Struct(IncrementalAlterConfigsRequest.SCHEMA);
    Struct res = req.addElement(IncrementalAlterConfigsRequest.RESOURCES)
        .set(IncrementalAlterConfigsRequest.RESOURCE_TYPE, type)
        .set(IncrementalAlterConfigsRequest.RESOURCE_NAME, name);
    for (Map.Entry<String, String> e : set.entrySet()) {
      res.addElement(IncrementalAlterConfigsRequest.CONFIGS)
          .set(IncrementalAlterConfigsRequest.CONFIG_NAME, e.getKey())
          .set(IncrementalAlterConfigsRequest.CONFIG_OPERATION, OP_SET)
          .set(IncrementalAlterConfigsRequest.CONFIG_VALUE, e.getValue());
    }
    for (String k : delete) {
      res.addElement(IncrementalAlterConfigsRequest.CONFIGS)
          .set(IncrementalAlterConfigsRequest.CONFIG_NAME, k)
          .set(IncrementalAlterConfigsRequest.CONFIG_OPERATION, OP_DELETE)
          .set(IncrementalAlterConfigsRequest.CONFIG_VALUE, null);
    }
    Struct resp = connection(client, type, name).send(ApiKey.INCREMENTAL_ALTER_CONFIGS, req);
    Struct r = resp.get(IncrementalAlterConfigsResponse.RESPONSES).get(0);
    ClientException.check(r.get(IncrementalAlterConfigsResponse.ERROR_CODE),
        r.get(IncrementalAlterConfigsResponse.ERROR_MESSAGE), describe(type, name));
  }

  /**
   * Where a request about a resource goes: a broker's own configs to that broker (each broker
   * describes itself), topics and the cluster-wide broker default ("") to any broker.
   */
  private static BrokerConnection connection(KafkaClient client, byte type, String name) {
    return type == BROKER && !name.isEmpty() ? client.node(Integer.parseInt(name))
        : client.any();
  }

  /** The resource as an error message names it: "topic t", "broker 1", "broker defaults". */
  static String describe(byte type, String name) {
    if (type != BROKER) {
      return "topic " + name;
    }
    return name.isEmpty() ? "broker defaults" : "broker " + name;
  }
}
