package io.rill.cli.command;

import io.rill.cli.Main;
import io.rill.client.KafkaClient;
import io.rill.cli.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every leaf command needs: the root's options, the cluster client and the output. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  Main root() {
    return (Main) spec.root().userObject();
  }

  KafkaClient client() {
    return root().client(spec.commandLine());
  }

  Output output() {
    return root().output();
  }

  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  @Override
  public final Integer call() throws Exception {
    execute();
    return 0;
  }

  abstract void execute() throws Exception;
}
