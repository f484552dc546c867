package io.rill.chaos.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rill.chaos.checker.Anomaly;
import io.rill.chaos.checker.AnomalyType;
import io.rill.chaos.checker.CheckResult;
import io.rill.chaos.checker.Checker;
import io.rill.chaos.cluster.Await;
import io.rill.chaos.cluster.ChaosCluster;
import io.rill.chaos.cluster.KafkaDistribution;
import io.rill.chaos.cluster.KafkaSystem;
import io.rill.chaos.cluster.LoopbackNetwork;
import io.rill.chaos.history.Functions;
import io.rill.chaos.history.History;
import io.rill.chaos.history.Json;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import io.rill.chaos.runner.ChaosRun;
import io.rill.chaos.runner.TopicSetup;
import io.rill.chaos.workload.Clients;
import io.rill.chaos.workload.FinalReads;
import io.rill.chaos.workload.WorkloadConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control experiment of issue 13, made deterministic: the checker must report lost writes
 * against real Apache Kafka nodes (KRaft, 3 combined processes) with the unsafe settings of
 * {@code --unsafe}, producer acks=1 and unclean.leader.election.enable=true, under kill faults.
 * The kills are scripted rather than random so that the loss is certain. The partition has two
 * replicas (the third node keeps the metadata quorum alive while one of them is down): its
 * follower is SIGKILLed; the leader acknowledges {@value #BATCH} more records with acks=1, which
 * no other replica has; the leader is SIGKILLed and the follower restarted, which Kafka elects
 * (unclean, or as an eligible leader replica: either way it lacks the batch); it takes
 * {@value #BATCH} new records at the same offsets; the old leader comes back and truncates to it.
 * Every record of the batch must then be reported as a lost write (and its offset as
 * inconsistent), by the same history, final reads and checker that {@code bin/chaos} uses.
 */
class KafkaUnsafeLossIT {
  private static final String TOPIC = "unsafe";
  private static final int BATCH = 10;
  private static final Duration STEP_WAIT_MAX = Duration.ofSeconds(90);
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  @Test
  void acksOneWithUncleanElectionLosesAcknowledgedWritesAndTheCheckerSaysSo(@TempDir Path dir)
      throws Exception {
    try (ChaosCluster cluster = new ChaosCluster(dir.resolve("cluster"), 3,
        new LoopbackNetwork(3), new KafkaSystem(KafkaDistribution.classPath()), Map.of());
         History history = new History(dir.resolve("history.jsonl"));
         Admin admin = cluster.admin()) {
      cluster.start();
      cluster.awaitReady(STEP_WAIT_MAX);
      admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2)))
          .configs(TopicSetup.UNSAFE))).all().get(10, TimeUnit.SECONDS);
      TopicSetup.awaitFullyReplicated(cluster, TOPIC, 2, STEP_WAIT_MAX);
      int leader = describe(admin).leader().id();
      int successor = 3 - leader;
      AtomicLong values = new AtomicLong();

      sendAcked(cluster, history, "0", values);
      Await.until("the first " + BATCH + " records to be replicated (high watermark " + BATCH
          + ")", STEP_WAIT_MAX, cluster::describe, () -> highWatermark(admin) >= BATCH);
      cluster.node(successor).kill();
      List<Long> batch = sendAcked(cluster, history, "1", values);

      cluster.node(leader).kill();
      cluster.node(successor).start();
      Await.until("node " + successor + " to be elected leader", STEP_WAIT_MAX,
          cluster::describe, () -> describe(admin).leader() != null
              && describe(admin).leader().id() == successor);
      sendAcked(cluster, history, "2", values);

      cluster.start();
      TopicSetup.awaitFullyReplicated(cluster, TOPIC, 2, STEP_WAIT_MAX);
      WorkloadConfig reader = new WorkloadConfig(cluster.bootstrap(), TOPIC, 1, 1, 1, 0, true);
      List<Integer> unread = FinalReads.run(reader, history,
          ChaosRun.highestAcked(history.snapshot()), 3, STEP_WAIT_MAX);
      CheckResult result = Checker.check(history.snapshot());
      System.out.println("KafkaUnsafeLossIT: leader " + leader + ", successor " + successor
          + ", batch " + batch + "; anomalies " + result.counts());

      assertThat(unread).as("partitions not read back to their highest acknowledged offset")
          .isEmpty();
      assertThat(result.of(AnomalyType.LOST_WRITE).stream().flatMap(a -> a.values().stream()))
          .as("values reported as lost writes (history in %s)", dir)
          .containsExactlyInAnyOrderElementsOf(batch);
      assertThat(result.of(AnomalyType.INCONSISTENT_OFFSETS)).hasSize(BATCH);
      assertThat(result.anomalies().stream().map(Anomaly::type).distinct())
          .containsOnly(AnomalyType.LOST_WRITE, AnomalyType.INCONSISTENT_OFFSETS);
    }
  }

  /** Sends {@value #BATCH} values one by one with acks=1, each acknowledged; returns them. */
  private static List<Long> sendAcked(ChaosCluster cluster, History history, String process,
      AtomicLong values) throws Exception {
    List<Long> sent = new ArrayList<>();
    try (KafkaProducer<byte[], Long> producer =
             Clients.producer(cluster.bootstrap(), "unsafe-" + process, true)) {
      for (int i = 0; i < BATCH; i++) {
        long value = values.incrementAndGet();
        ObjectNode v = Json.object().put("partition", 0).put("value", value);
        Op invoke = history.invoke(process, Functions.SEND, v);
        RecordMetadata m = producer.send(new ProducerRecord<>(TOPIC, 0, null, value))
            .get(Clients.SEND_WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
        history.complete(invoke, OpType.OK, v.deepCopy().put("offset", m.offset()));
        sent.add(value);
      }
    }
    return sent;
  }

  private static TopicPartitionInfo describe(Admin admin) throws Exception {
    return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
        .get(TOPIC).partitions().get(0);
  }

  private static long highWatermark(Admin admin) throws Exception {
    return admin.listOffsets(Map.of(TP, OffsetSpec.latest())).partitionResult(TP)
        .get(10, TimeUnit.SECONDS).offset();
  }
}
