package io.rill.broker.api;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.config.BrokerConfigDef;
import io.rill.broker.config.ConfigKey;
import io.rill.metadata.config.ConfigDef;
import io.rill.metadata.config.TopicConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code docs/configuration.md}, generated: every broker key of {@link BrokerConfigDef} with its
 * type, default, valid values, meaning and whether it can change while the node runs, then every
 * topic key of {@link TopicConfigs}. {@code ConfigReferenceTest} fails when the checked-in file
 * differs from {@link #markdown()}, so the page cannot drift from the code.
 *
 * <p>Pure: no I/O, the same text for the same definitions.
 */
public final class ConfigReference {
  /** How to regenerate the page; printed in it and by the test that guards it. */
  public static final String REGENERATE = "mvn -B -q -pl broker-core -am test"
      + " -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
      + " -Drill.docs.write=true";

  private ConfigReference() {}

  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("<!-- Generated from BrokerConfigDef and TopicConfigs by ConfigReference; do not"
            + " edit. Regenerate: ").append(REGENERATE).append(" -->\n\n")
        .append("A node reads a Java properties file (`bin/broker start --config FILE`) and then"
            + " `--override key=value` arguments. Keys have Kafka's names, meanings and defaults"
            + " wherever the concept is the same; an invalid value stops the start naming the"
            + " key, an unknown key is a warning. [`config/node.properties`]"
            + "(../config/node.properties) is a commented sample for a real deployment.\n\n")
        .append("Without `--config`, `bin/broker start` runs the *embedded default*: every key"
            + " at its default below, except ").append(embeddedSettings())
        .append(" (it is for trying things out, as Kafka's sample configuration).\n\n")
        .append("A broker key marked *dynamic* changes at run time, cluster-wide or for one"
            + " broker (`rill configs alter --broker-defaults | --broker ID --set key=value`, or"
            + " `kafka-configs --entity-type brokers`), stored in the metadata quorum (KIP-226);"
            + " the others take a restart (DescribeConfigs reports them read-only). Where a"
            + " topic-level key stands in for a broker key, each topic can override it at run"
            + " time (`rill configs alter --topic T --set key=value`); the last column names"
            + " it.\n\n");
    md.append("## Broker keys\n\n")
        .append("| key | type | default | valid values | meaning | at run time |\n")
        .append("|---|---|---|---|---|---|\n");
    for (ConfigKey key : BrokerConfigDef.DEF.keys().values()) {
      md.append("| `").append(key.name()).append("` | ")
          .append(key.type().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
          .append(defaultText(key)).append(" | ").append(cell(key.rule())).append(" | ")
          .append(cell(key.doc())).append(" | ").append(runtimeText(key.name())).append(" |\n");
    }
    md.append("\n## Topic keys\n\n")
        .append("Set when a topic is created (`rill topics create T --config key=value`) or"
            + " changed at run time (`rill configs alter --topic T`). Without an override a"
            + " topic takes the broker key named in the third column, else the default. Keys"
            + " for features Rill does not have (compaction, tiered storage) are"
            + " accepted and stored for compatibility but have no effect.\n\n")
        .append("| key | default | from broker key | meaning |\n")
        .append("|---|---|---|---|\n");
    for (ConfigDef def : TopicConfigs.all().values()) {
      List<String> synonyms = ConfigDescriptions.brokerSynonyms(def);
      md.append("| `").append(def.name()).append("` | ")
          .append(def.defaultValue().isEmpty() ? "(empty)" : "`" + def.defaultValue() + "`")
          .append(" | ").append(synonyms.isEmpty() ? "—" : "`" + String.join("`, `", synonyms)
              + "`")
          .append(" | ").append(cell(def.doc())).append(" |\n");
    }
    return md.toString();
  }

  private static String embeddedSettings() {
    List<String> parts = new ArrayList<>();
    new java.util.TreeMap<>(BrokerConfig.EMBEDDED_SETTINGS)
        .forEach((k, v) -> parts.add("`" + k + "=" + v + "`"));
    return String.join(", ", parts);
  }

  private static String defaultText(ConfigKey key) {
    Object v = key.defaultValue();
    if (v == null) {
      return "(none)";
    }
    if (v instanceof List<?> list) {
      return list.isEmpty() ? "(empty)" : "`" + String.join(",", list.stream()
          .map(String::valueOf).toList()) + "`";
    }
    String text = "`" + v + "`";
    if (v.equals(Long.MAX_VALUE) || v.equals(Integer.MAX_VALUE)) {
      text += " (no limit)";
    }
    String embedded = BrokerConfig.EMBEDDED_SETTINGS.get(key.name());
    return embedded == null ? text : text + "; embedded default `" + embedded + "`";
  }

  /** "dynamic" or "restart", plus the topic key that overrides it per topic, if any. */
  private static String runtimeText(String brokerKey) {
    Optional<String> topicKey = TopicConfigs.all().values().stream()
        .filter(d -> ConfigDescriptions.brokerSynonyms(d).contains(brokerKey))
        .map(ConfigDef::name).findFirst();
    String mode = io.rill.metadata.config.BrokerDynamicConfigs.isDynamic(brokerKey) ? "dynamic"
        : "restart";
    return topicKey.map(t -> mode + "; per topic: `" + t + "`").orElse(mode);
  }

  /** Markdown table cells hold no pipes or line breaks. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
