package io.rill.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One Kafka Connect 4.1 worker in distributed mode ({@code ConnectDistributed}) in a child JVM,
 * on the class path the {@code connect-worker} module copied to its {@code target/lib} (Connect
 * needs kafka-clients 4.1; this module's tests run 3.9). Its output goes to a log file whose tail
 * {@link #logTail} gives for failure messages; its REST API listens on a free port of 127.0.0.1.
 *
 * <p>Used from the test thread only.
 */
final class ConnectWorker implements AutoCloseable {
  /** How long a REST call may take; the worker forwards some calls to the group leader. */
  private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES_MAX = 60;

  private final Process process;
  private final Path log;
  private final int restPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ConnectWorker(Process process, Path log, int restPort) {
    this.process = process;
    this.log = log;
    this.restPort = restPort;
  }

  /**
   * Starts a worker with {@code workerConfig} plus a REST listener on a free port; its properties
   * file and log go to {@code dir} under {@code name}.
   */
  static ConnectWorker start(Path lib, Path dir, String name, Map<String, String> workerConfig)
      throws IOException {
    int restPort = freePort();
    Map<String, String> config = new TreeMap<>(workerConfig);
    config.put("listeners", "http://127.0.0.1:" + restPort);
    Path props = dir.resolve(name + ".properties");
    Files.write(props, config.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList(), StandardCharsets.UTF_8);
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        // Connect's per-class INFO dumps of every client config drown the interesting lines.
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.admin.AdminClientConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.ProducerConfig=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.ConsumerConfig=warn",
        "-cp", classPath(lib),
        "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    // Should the test JVM end before @AfterEach runs (a failsafe timeout), take the worker along.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-reaper"));
    System.out.println("started Connect worker " + name + " (pid " + process.pid()
        + ", REST port " + restPort + ", log " + log.toAbsolutePath() + ")");
    return new ConnectWorker(process, log, restPort);
  }

  private static String classPath(Path lib) throws IOException {
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException("no Connect class path at " + lib.toAbsolutePath()
          + ": build compat-tests/connect-worker first (mvn -pl compat-tests -am verify)");
    }
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
          .collect(Collectors.joining(java.io.File.pathSeparator));
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A REST answer: its status code and body. */
  record Answer(int status, String body) {}

  /**
   * One REST call; {@code status} -1 when the worker does not accept connections yet (or any
   * more). A JSON body is sent with the matching content type.
   */
  Answer call(String method, String path, String jsonBody) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + restPort + path)).timeout(REST_TIMEOUT);
    if (jsonBody == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    try {
      HttpResponse<String> response = http.send(request.build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    }
  }

  /** The worker's id in Connect's statuses: its REST host and port. */
  String id() {
    return "127.0.0.1:" + restPort;
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed, the group is not left. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("Connect worker " + process.pid() + " outlived SIGKILL");
    }
  }

  /** Whether the worker's output so far has a line containing {@code text}. */
  boolean logContains(String text) throws IOException {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.contains(text));
    }
  }

  /** The last lines of the worker's output, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES_MAX),
          lines.size());
      return "---- last " + tail.size() + " lines of " + log.toAbsolutePath() + " ----\n"
          + String.join("\n", tail);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
