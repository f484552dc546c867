package io.rill.chaos.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's server class path, resolved by Maven from Maven Central (or the local
 * repository, where it usually is already) into a cache outside the repository: {@code
 * ~/.cache/rill-chaos/kafka-VERSION/} (or {@code $RILL_CHAOS_CACHE}) gets {@code pom.xml} (the
 * {@code kafka-dist.pom.xml} resource, versions filled in from the root pom at build time) and
 * {@code classpath.txt}, written by {@code mvn dependency:build-classpath}. Later runs reuse
 * {@code classpath.txt} while every jar it names exists. {@code -Drill.chaos.kafka.classpath=...}
 * or {@code RILL_CHAOS_KAFKA_CLASSPATH} gives a class path directly.
 */
public final class KafkaDistribution {
  private static final String RESOURCE = "kafka-dist.pom.xml";
  /** Resolving Kafka's ~80 jars, downloading them the first time. */
  private static final long RESOLVE_WAIT_MAX_S = 600;

  private KafkaDistribution() {}

  /** The Kafka version the pom names (the root pom's {@code kafka.version}). */
  public static String version() {
    Matcher m = Pattern.compile("<artifactId>kafka_2\\.13</artifactId><version>([^<]+)<")
        .matcher(pomTemplate());
    if (!m.find()) {
      throw new IllegalStateException(RESOURCE + " names no kafka_2.13 version");
    }
    return m.group(1);
  }

  /** The class path, resolving it with Maven if it is not cached; throws saying why not. */
  public static String classPath() {
    String given = System.getProperty("rill.chaos.kafka.classpath",
        System.getenv("RILL_CHAOS_KAFKA_CLASSPATH"));
    if (given != null && !given.isBlank()) {
      return given;
    }
    String cacheRoot = System.getenv("RILL_CHAOS_CACHE");
    Path cache = (cacheRoot != null ? Path.of(cacheRoot)
        : Path.of(System.getProperty("user.home"), ".cache", "rill-chaos"))
        .resolve("kafka-" + version());
    Path file = cache.resolve("classpath.txt");
    try {
      String cached = complete(file);
      if (cached != null) {
        return cached;
      }
      Files.createDirectories(cache);
      Files.writeString(cache.resolve("pom.xml"), pomTemplate());
      resolve(cache, file);
      String resolved = complete(file);
      if (resolved == null) {
        throw new IllegalStateException("Maven wrote no usable class path to " + file);
      }
      return resolved;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka's class path in " + cache, e);
    }
  }

  /** The class path in {@code file} if it exists and every jar it names does. */
  private static String complete(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String cp = Files.readString(file).strip();
    boolean whole = !cp.isEmpty() && Arrays.stream(cp.split(java.io.File.pathSeparator))
        .allMatch(jar -> Files.isRegularFile(Path.of(jar)));
    return whole ? cp : null;
  }

  private static void resolve(Path cache, Path file) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q", "-f",
        cache.resolve("pom.xml").toString(), "dependency:build-classpath",
        "-Dmdep.outputFile=" + file));
    Path log = cache.resolve("resolve.log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(cache.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("Kafka's jars are resolved with Maven, and `mvn` did not "
          + "start (" + e.getMessage() + "); install Maven or set RILL_CHAOS_KAFKA_CLASSPATH", e);
    }
    try {
      if (!p.waitFor(RESOLVE_WAIT_MAX_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("mvn did not resolve Kafka within "
            + RESOLVE_WAIT_MAX_S + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted resolving Kafka's class path", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("mvn could not resolve Kafka " + version() + " (exit "
          + p.exitValue() + "): " + Files.readString(log).strip());
    }
  }

  private static String pomTemplate() {
    try (InputStream in = KafkaDistribution.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
