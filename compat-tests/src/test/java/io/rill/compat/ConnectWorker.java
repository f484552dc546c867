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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Kafka Connect 4.1 worker in distributed mode ({@code ConnectDistributed}) in a
 * {@link ChildJvm}; its REST API listens on a free port of 127.0.0.1.
 *
 * <p>Used from the test thread only.
 */
final class ConnectWorker implements AutoCloseable {
  /** How long a REST call may take; the worker forwards some calls to the group leader. */
  private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);

  private final ChildJvm jvm;
  private final int restPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ConnectWorker(ChildJvm jvm, int restPort) {
    this.jvm = jvm;
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
    ChildJvm jvm = ChildJvm.start(lib, dir, name,
        "org.apache.kafka.connect.cli.ConnectDistributed", List.of(props.toString()));
    System.out.println("Connect worker " + name + " has REST port " + restPort);
    return new ConnectWorker(jvm, restPort);
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
    return jvm.alive();
  }

  long pid() {
    return jvm.pid();
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or committed, the group is not left. */
  void kill() throws InterruptedException {
    jvm.kill();
  }

  /** Whether the worker's output so far has a line containing {@code text}. */
  boolean logContains(String text) throws IOException {
    return jvm.logContains(text);
  }

  /** The last lines of the worker's output, for failure messages. */
  String logTail() {
    return jvm.logTail();
  }

  /** See {@link ChildJvm#await}. */
  void await(String what, Duration max, ChildJvm.Unmet unmet) throws Exception {
    jvm.await(what, max, unmet);
  }

  @Override
  public void close() throws InterruptedException {
    jvm.close();
  }
}
