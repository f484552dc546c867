package io.rill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.broker.it.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rill cluster describe} and {@code rill topics describe} against three real node
 * processes (combined broker and controller, one rack each): the brokers with the partitions they
 * lead, the quorum with its voters; then, with one broker killed (kill -9, so no controlled
 * shutdown), offsets its partitions can no longer give are "?" while the leaderships have not
 * moved yet, and once the broker is fenced it shows as an offline replica and a fenced/offline
 * broker. The session timeout is long so the "leader just died" window is seconds wide.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCliIT {
  private static final Duration FENCE_MAX = Duration.ofSeconds(60);
  private static final String TOPIC = "spread";
  private static final int PARTITIONS = 6;
  /** A broker row: ID HOST PORT RACK CONTROLLER STATUS PARTITIONS_LED. */
  private static final Pattern BROKER_ROW = Pattern.compile(
      "(?m)^(\\d+) +(\\S+) +(\\S+) +(\\S+) +(true|false) +(online|fenced/offline) +(\\d+)$");
  /** A quorum row: ID ROLE LOG_END_OFFSET LAG LAST_CONTACT_MS_AGO. */
  private static final Pattern QUORUM_ROW = Pattern.compile(
      "(?m)^(\\d+) +(leader|follower|observer) +(\\d+|-) +(\\d+|-) +(\\d+|-)$");
  private static final Pattern QUORUM_LINE =
      Pattern.compile("Quorum: leader (\\d+), epoch (\\d+), high watermark (\\d+)");
  /** A partition row: PARTITION LEADER EPOCH REPLICAS ISR OFFLINE LOG_START LOG_END. */
  private static final Pattern PARTITION_ROW = Pattern.compile(
      "(?m)^(\\d+) +(-?\\d+) +(\\d+) +([\\d,]+) +([\\d,]+) +(-|[\\d,]+) +(\\d+|\\?|-) +(\\d+|\\?|-)$");

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static Cli cli;
  private static Admin admin;

  /**
   * The node processes share this module's test class path, whose logback-test.xml keeps the
   * nodes quiet; ProcessCluster needs their INFO lines (it waits for "started in").
   */
  private static final String NODE_LOGGING = """
      <configuration>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
        </appender>
        <logger name="io.rill" level="INFO"/>
        <root level="WARN"><appender-ref ref="STDOUT"/></root>
      </configuration>
      """;

  @BeforeAll
  static void start() throws Exception {
    Path logging = Files.writeString(dir.resolve("node-logback.xml"), NODE_LOGGING);
    ProcessCluster.Builder b = ProcessCluster.builder(dir).nodes(3)
        .jvmOptions("-Xms64m", "-Xmx512m", "-Dlogback.configurationFile=" + logging)
        .override("broker.session.timeout.ms", "10000");
    for (int id = 1; id <= 3; id++) {
      b.override(id, "broker.rack", "rack-" + id);
    }
    cluster = b.build();
    cluster.start().awaitStarted(Duration.ofSeconds(90));
    cli = new Cli(cluster.bootstrap());
    Properties p = new Properties();
    p.put("bootstrap.servers", cluster.bootstrap());
    admin = Admin.create(p);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }

  private static List<MatchResult> rows(Pattern p, String text) {
    return p.matcher(text).results().toList();
  }

  /** Every partition of every topic, internal ones included, as the official client counts. */
  private static int partitionCount() throws Exception {
    var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
    return admin.describeTopics(names).allTopicNames().get().values().stream()
        .mapToInt(d -> d.partitions().size()).sum();
  }

  @Test
  @Order(1)
  void brokersLeadEveryPartitionAndTheQuorumHasThreeVoters() throws Exception {
    ok(cli.run("topics", "create", TOPIC, "--partitions", String.valueOf(PARTITIONS),
        "--replication-factor", "3"));
    // Leaders are elected just after the creation: wait until every partition has one. The
    // count is taken each time too: an internal topic (__consumer_offsets) may appear meanwhile.
    cluster.await("every partition to be led by a listed broker", FENCE_MAX, () -> {
      Cli.Result r = ok(cli.run("cluster", "describe"));
      return rows(BROKER_ROW, r.out()).stream()
          .mapToInt(m -> Integer.parseInt(m.group(7))).sum() == partitionCount();
    });
    int partitions = partitionCount();

    Cli.Result r = ok(cli.run("cluster", "describe"));
    System.out.println("ClusterCliIT: rill cluster describe\n" + r.out());
    List<MatchResult> brokers = rows(BROKER_ROW, r.out());
    assertThat(brokers).as(r.out()).hasSize(3);
    assertThat(brokers).extracting(m -> m.group(1)).containsExactly("1", "2", "3");
    assertThat(brokers).extracting(m -> m.group(4)).containsExactly("rack-1", "rack-2", "rack-3");
    assertThat(brokers).extracting(m -> m.group(6)).containsOnly("online");
    assertThat(brokers).extracting(m -> m.group(5)).containsOnlyOnce("true");
    Matcher quorum = QUORUM_LINE.matcher(r.out());
    assertThat(quorum.find()).as(r.out()).isTrue();
    String leader = quorum.group(1);
    assertThat(r.out()).contains("Controller: " + leader);
    List<MatchResult> voters = rows(QUORUM_ROW, r.out());
    assertThat(voters).as(r.out()).hasSize(3);
    assertThat(voters).extracting(m -> m.group(3)).allMatch(leo -> leo.matches("\\d+"));
    assertThat(voters).filteredOn(m -> m.group(2).equals("leader")).singleElement()
        .extracting(m -> m.group(1)).isEqualTo(leader);

    Cli.Result json = ok(cli.run("cluster", "describe", "--output", "json"));
    System.out.println("ClusterCliIT: rill cluster describe --output json\n" + json.out());
    assertThat(json.out().trim().split("\n")).hasSize(1);
    assertThat(json.out())
        .containsPattern("\\{\"clusterId\":\"[^\"]+\",\"controllerId\":" + leader + ",\"nodes\":\\[")
        .contains("\"rack\":\"rack-2\",\"controller\":")
        .contains("\"quorum\":{\"available\":true,\"leaderId\":" + leader + ",\"leaderEpoch\":")
        .containsPattern("\"voters\":\\[\\{\"id\":\\d,\"role\":\"(leader|follower)\","
            + "\"logEndOffset\":\\d+,\"lag\":\\d+");

    Cli.Result topic = ok(cli.run("topics", "describe", TOPIC));
    assertThat(topic.out()).containsPattern("REPLICAS +ISR +OFFLINE +LOG_START_OFFSET");
    List<MatchResult> parts = rows(PARTITION_ROW, topic.out());
    assertThat(parts).as(topic.out()).hasSize(PARTITIONS);
    assertThat(parts).extracting(m -> m.group(6)).containsOnly("-");
    assertThat(topic.err()).isEmpty();
  }

  @Test
  @Order(2)
  void aKilledLeadersOffsetsAreUnknownThenItIsAnOfflineReplica() throws Exception {
    Cli.Result before = ok(cli.run("cluster", "describe"));
    Matcher quorum = QUORUM_LINE.matcher(before.out());
    assertThat(quorum.find()).as(before.out()).isTrue();
    int quorumLeader = Integer.parseInt(quorum.group(1));
    Map<Integer, Integer> led = new HashMap<>();
    for (MatchResult m : rows(PARTITION_ROW, ok(cli.run("topics", "describe", TOPIC)).out())) {
      led.merge(Integer.parseInt(m.group(2)), 1, Integer::sum);
    }
    // A broker that leads partitions of the topic but not the quorum: no election in the way.
    int victim = led.keySet().stream().filter(id -> id != quorumLeader).findFirst()
        .orElseThrow(() -> new AssertionError("only the quorum leader leads: " + led));

    cluster.node(victim).kill();
    Cli.Result during = ok(cli.run("topics", "describe", TOPIC));
    System.out.println("ClusterCliIT: rill topics describe, broker " + victim + " killed\n"
        + during + "\n");
    // The session timeout (10 s) has not passed: the metadata still names the dead leader.
    List<MatchResult> stillLed = rows(PARTITION_ROW, during.out()).stream()
        .filter(m -> Integer.parseInt(m.group(2)) == victim).toList();
    assertThat(stillLed).as(during.toString()).isNotEmpty()
        .allSatisfy(m -> assertThat(m.group(7) + m.group(8)).isEqualTo("??"));
    assertThat(rows(PARTITION_ROW, during.out())).hasSize(PARTITIONS)
        .filteredOn(m -> Integer.parseInt(m.group(2)) != victim)
        .allSatisfy(m -> assertThat(m.group(8)).matches("\\d+"));
    assertThat(during.err().trim().split("\n")).as(during.err()).hasSize(1);
    assertThat(during.err()).contains("warning: log offsets unknown (?) for " + TOPIC + "-")
        .contains("broker " + victim);

    String v = String.valueOf(victim);
    cluster.await("broker " + victim + " to be an offline replica of every partition", FENCE_MAX,
        () -> rows(PARTITION_ROW, ok(cli.run("topics", "describe", TOPIC)).out()).stream()
            .allMatch(m -> m.group(6).equals(v) && !m.group(2).equals(v)
                && m.group(8).matches("\\d+")));
    Cli.Result after = ok(cli.run("topics", "describe", TOPIC));
    System.out.println("ClusterCliIT: rill topics describe, broker " + victim + " fenced\n"
        + after.out());
    assertThat(after.err()).isEmpty();

    Cli.Result described = ok(cli.run("cluster", "describe"));
    System.out.println("ClusterCliIT: rill cluster describe, broker " + victim + " fenced\n"
        + described.out());
    List<MatchResult> brokers = rows(BROKER_ROW, described.out());
    assertThat(brokers).as(described.out()).hasSize(3);
    assertThat(brokers).filteredOn(m -> m.group(1).equals(v)).singleElement().satisfies(m -> {
      assertThat(m.group(2)).isEqualTo("-");
      assertThat(m.group(6)).isEqualTo("fenced/offline");
      assertThat(m.group(7)).isEqualTo("0");
    });
    assertThat(brokers).filteredOn(m -> !m.group(1).equals(v))
        .extracting(m -> m.group(6)).containsOnly("online");
    // The dead voter is still a voter; the leader has not heard from it since the kill.
    List<MatchResult> voters = rows(QUORUM_ROW, described.out());
    assertThat(voters).filteredOn(m -> m.group(1).equals(v)).singleElement()
        .satisfies(m -> assertThat(Long.parseLong(m.group(5))).isGreaterThan(2000));
  }
}
