package io.rill.cli.command;

import io.rill.client.Configs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rill configs ...}: describe and alter topic or broker configs (kafka-configs.sh). */
@Command(name = "configs", description = "Describe and alter configs.",
    subcommands = {ConfigsCommand.Describe.class, ConfigsCommand.Alter.class})
public final class ConfigsCommand {
  /** Exactly one resource: a topic, a broker or the cluster-wide broker default. */
  static final class Resource {
    @Option(names = "--topic", paramLabel = "NAME", required = true,
        description = "The topic whose configs to show or change.")
    String topic;

    @Option(names = "--broker", paramLabel = "ID", required = true,
        description = "The broker (node id) whose configs to show or change.")
    Integer broker;

    /** The cluster-wide dynamic broker default (kafka-configs' --entity-default). */
    @Option(names = "--broker-defaults", required = true,
        description = "The cluster-wide default of dynamic broker configs.")
    boolean brokerDefaults;

    byte type() {
      return topic != null ? Configs.TOPIC : Configs.BROKER;
    }

    String name() {
      return topic != null ? topic : brokerDefaults ? "" : String.valueOf(broker);
    }
  }

  @Command(name = "describe", description = "Show every config with its value and source.")
  static final class Describe extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Resource resource;

    @Override
    void execute() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Configs.Entry e : Configs.describe(client(), resource.type(), resource.name())) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", e.name());
        row.put("value", e.value());
        row.put("source", e.source());
        row.put("readOnly", e.readOnly());
        row.put("sensitive", e.sensitive());
        rows.add(row);
      }
      if (output().json()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resourceType", resource.topic != null ? "topic" : "broker");
        doc.put("resourceName", resource.name());
        doc.put("configs", rows);
        output().document(doc);
      } else {
        output().table(List.of("name", "value", "source", "readOnly", "sensitive"), rows);
      }
    }
  }

  @Command(name = "alter", description = "Set and delete configs (incrementally).")
  static final class Alter extends BaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Resource resource;

    @Option(names = "--set", paramLabel = "k=v", arity = "1..*",
        description = "Configs to set.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--delete", paramLabel = "k", arity = "1..*",
        description = "Configs to remove (back to their default).")
    List<String> delete = new ArrayList<>();

    @Override
    void execute() {
      if (set.isEmpty() && delete.isEmpty()) {
        throw usage("nothing to alter: give --set k=v and/or --delete k");
      }
      Configs.alter(client(), resource.type(), resource.name(), set, delete);
      if (output().json()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resourceType", resource.topic != null ? "topic" : "broker");
        doc.put("resourceName", resource.name());
        doc.put("set", set);
        doc.put("deleted", delete);
        output().document(doc);
      } else {
        output().out().println("Altered configs of " + (resource.topic != null ? "topic " : "broker ")
            + resource.name() + ": set " + set + ", deleted " + delete);
      }
    }
  }
}
