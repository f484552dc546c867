package io.rill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command and subcommand of {@code rill} answers {@code --help} with its usage (exit 0,
 * no broker needed), every option and parameter is described, and {@code rill help} exists
 * (issue 15: {@code rill topics --help} said "Unknown option").
 */
class HelpTest {
  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    List<String> paths = commandPaths();
    assertThat(paths).contains("topics", "topics create", "produce", "perf produce",
        "groups reset-offsets", "help");
    for (String path : paths) {
      List<String> args = new ArrayList<>(List.of(path.split(" ")));
      args.add("--help");
      Cli.Result r = Cli.raw("", Map.of(), args.toArray(String[]::new));
      assertThat(r.exit()).as("rill %s --help: %s", path, r).isZero();
      assertThat(r.out()).as("rill %s --help", path).contains("Usage: rill " + path + " ");
    }
  }

  @Test
  void everyOptionAndParameterIsDescribed() {
    List<String> undescribed = new ArrayList<>();
    walk(root().getCommandSpec(), spec -> {
      for (ArgSpec arg : spec.args()) {
        boolean described = arg.description().length > 0
            && !String.join("", arg.description()).isBlank();
        if (!described) {
          undescribed.add(spec.qualifiedName() + " " + arg.paramLabel()
              + (arg.isOption() ? " " + ((CommandLine.Model.OptionSpec) arg).longestName() : ""));
        }
      }
    });
    assertThat(undescribed).isEmpty();
  }

  @Test
  void helpCommandPrintsTheUsageOfAnyCommand() {
    Cli.Result all = Cli.raw("", Map.of(), "help");
    assertThat(all.exit()).isZero();
    assertThat(all.out()).startsWith("Usage: rill").contains("topics", "produce", "perf", "help");
    Cli.Result topics = Cli.raw("", Map.of(), "help", "topics");
    assertThat(topics.exit()).isZero();
    assertThat(topics.out()).startsWith("Usage: rill topics").contains("create", "describe");
    Cli.Result produce = Cli.raw("", Map.of(), "produce", "--help");
    assertThat(produce.out()).contains("--key-separator", "auto-creates");
  }

  @Test
  void describeHelpSaysWhatIsShownWhenABrokerIsDownOrTheQuorumUnknown() {
    Cli.Result cluster = Cli.raw("", Map.of(), "cluster", "describe", "--help");
    assertThat(cluster.out()).contains("fenced/offline", "partitions", "not available from this broker");
    Cli.Result topics = Cli.raw("", Map.of(), "topics", "describe", "--help");
    assertThat(topics.out()).contains("OFFLINE", "'?'", "stderr");
  }

  private static CommandLine root() {
    PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
    return new CommandLine(new Main(new ByteArrayInputStream(new byte[0]), sink, sink, Map.of()));
  }

  private static List<String> commandPaths() {
    List<String> paths = new ArrayList<>();
    walk(root().getCommandSpec(), spec -> {
      if (spec.parent() != null) {
        paths.add(spec.qualifiedName(" ").substring("rill ".length()));
      }
    });
    return paths;
  }

  private static void walk(CommandSpec spec, java.util.function.Consumer<CommandSpec> visit) {
    visit.accept(spec);
    for (CommandLine sub : spec.subcommands().values()) {
      if (sub.getCommandSpec().parent() == spec) { // aliases list a command twice
        walk(sub.getCommandSpec(), visit);
      }
    }
  }
}
