package io.rill.cli;

import io.rill.client.ClientConfig;
import io.rill.client.ClientException;
import io.rill.client.KafkaClient;
import io.rill.cli.command.ClusterCommand;
import io.rill.cli.command.ConfigsCommand;
import io.rill.cli.command.ConsumeCommand;
import io.rill.cli.command.GroupsCommand;
import io.rill.cli.command.PartitionsCommand;
import io.rill.cli.command.PerfCommand;
import io.rill.cli.command.ProduceCommand;
import io.rill.cli.command.TopicsCommand;
import io.rill.cli.output.Output;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rill}: the admin tool. Holds the global options (inherited by every subcommand, so they
 * may be given before or after the command) and maps outcomes to exit codes: 0 success, 1 the
 * broker refused, 2 usage, 3 the cluster could not be reached in time.
 *
 * <p>{@link #run} is the whole program with its streams and environment passed in, so tests
 * drive the real main in-process.
 */
// scope INHERIT: every command and subcommand gets -h/--help (and -V/--version), here once.
@Command(name = "rill", mixinStandardHelpOptions = true, version = "rill 0.1.0",
    scope = ScopeType.INHERIT,
    description = "Manage a Rill (or any Kafka-compatible) cluster.",
    subcommands = {ClusterCommand.class, TopicsCommand.class, PartitionsCommand.class,
        ConfigsCommand.class,
        GroupsCommand.class, ProduceCommand.class, ConsumeCommand.class, PerfCommand.class,
        AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  static final int DEFAULT_TIMEOUT_MS = 30_000;

  @Option(names = "--bootstrap-server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      description = "Broker(s) to bootstrap from, comma separated. Default: $RILL_BOOTSTRAP, "
          + "then " + DEFAULT_BOOTSTRAP + ".")
  String bootstrapServer;

  @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "table|json",
      description = "Output format: ${COMPLETION-CANDIDATES} (default table).",
      converter = FormatConverter.class)
  Output.Format format = Output.Format.TABLE;

  @Option(names = "--command-config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Client properties: bootstrap.servers, client.id, request.timeout.ms.")
  Path commandConfig;

  @Option(names = "--request-timeout-ms", scope = ScopeType.INHERIT, paramLabel = "MS",
      description = "Bound on connecting and on each request (default " + DEFAULT_TIMEOUT_MS
          + "); past it the tool exits with 3.")
  Integer requestTimeoutMs;

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private KafkaClient client;

  Main(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        false, StandardCharsets.UTF_8);
    int code = run(args, System.in, out, System.err, System.getenv());
    out.flush();
    System.exit(code);
  }

  /** Runs the tool once and returns its exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
      Map<String, String> env) {
    Main main = new Main(in, out, err, env);
    CommandLine cl = new CommandLine(main);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ClientException f) {
        err.println("rill: " + f.getMessage());
        return CliFailure.exitCode(f);
      }
      if (e instanceof CommandLine.ParameterException p) {
        throw p;
      }
      err.println("rill: " + e);
      return 1;
    });
    try {
      return cl.execute(args);
    } finally {
      if (main.client != null) {
        main.client.close();
      }
      out.flush();
      err.flush();
    }
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** No command given: a usage error. */
  @Override
  public Integer call() {
    err.println("Missing required subcommand");
    spec.commandLine().usage(err);
    return CliFailure.EXIT_USAGE;
  }

  public InputStream in() {
    return in;
  }

  public Output output() {
    return new Output(format, out, err);
  }

  public Map<String, String> env() {
    return env;
  }

  /** The cluster client, built once from the options, the command config and the environment. */
  public synchronized KafkaClient client(CommandLine cl) {
    if (client == null) {
      client = new KafkaClient(clientConfig(cl));
    }
    return client;
  }

  ClientConfig clientConfig(CommandLine cl) {
    Properties props = new Properties();
    if (commandConfig != null) {
      try (Reader r = Files.newBufferedReader(commandConfig)) {
        props.load(r);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(cl,
            "cannot read --command-config " + commandConfig + ": " + e.getMessage());
      }
      String protocol = props.getProperty("security.protocol", "PLAINTEXT");
      if (!protocol.equalsIgnoreCase("PLAINTEXT")) {
        throw new CommandLine.ParameterException(cl,
            "security.protocol " + protocol + " is not supported; only PLAINTEXT");
      }
    }
    String servers = bootstrapServer != null ? bootstrapServer
        : props.getProperty("bootstrap.servers",
            env.getOrDefault("RILL_BOOTSTRAP", DEFAULT_BOOTSTRAP));
    List<String> list = Arrays.stream(servers.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    for (String s : list) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
        throw new CommandLine.ParameterException(cl, "bootstrap server must be HOST:PORT: " + s);
      }
    }
    if (list.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "no bootstrap server given");
    }
    int timeout = requestTimeoutMs != null ? requestTimeoutMs
        : Integer.parseInt(props.getProperty("request.timeout.ms",
            String.valueOf(DEFAULT_TIMEOUT_MS)));
    if (timeout <= 0) {
      throw new CommandLine.ParameterException(cl, "request timeout must be positive");
    }
    return new ClientConfig(list, props.getProperty("client.id", "rill-cli"), timeout);
  }

  /** Accepts table/json in any case. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Output.Format> {
    @Override
    public Output.Format convert(String value) {
      try {
        return Output.Format.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "expected table or json, got '" + value + "'");
      }
    }
  }
}
