package io.rill.chaos.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of one of Apache Kafka's command-line tools (its main class from the kafka_2.13 or
 * kafka-tools jar) in a child JVM on the test class path, as {@code bin/kafka-*.sh} would run
 * it: its exit code and everything it printed (also echoed to the test's output).
 */
public record KafkaTool(int exit, String output) {
  private static final long TIMEOUT_S = 180;

  public static KafkaTool run(String mainClass, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(TIMEOUT_S, TimeUnit.SECONDS))
        .as("%s %s finished within %s s", mainClass, args, TIMEOUT_S).isTrue();
    String output = new String(out, StandardCharsets.UTF_8);
    System.out.println(mainClass + " " + String.join(" ", args) + "\n" + output);
    return new KafkaTool(process.exitValue(), output);
  }

  /** The output, after asserting the tool succeeded. */
  public String ok() {
    assertThat(exit).as("the tool failed:%n%s", output).isZero();
    return output;
  }
}
