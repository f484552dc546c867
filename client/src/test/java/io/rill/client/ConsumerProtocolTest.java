package io.rill.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Our consumer protocol bytes and range assignment agree with the official client's. */
class ConsumerProtocolTest {
  @Test
  void subscriptionIsReadByTheOfficialClient() {
    byte[] ours = ConsumerProtocol.subscription(List.of("orders", "payments"));
    ConsumerPartitionAssignor.Subscription s = org.apache.kafka.clients.consumer.internals
        .ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(ours));
    assertThat(s.topics()).containsExactly("orders", "payments");
  }

  @Test
  void assignmentRoundTripsWithTheOfficialClient() {
    Map<String, List<Integer>> a = new TreeMap<>(Map.of("orders", List.of(0, 2), "x", List.of(1)));
    ConsumerPartitionAssignor.Assignment theirs = org.apache.kafka.clients.consumer.internals
        .ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(ConsumerProtocol.assignment(a)));
    assertThat(theirs.partitions()).containsExactlyInAnyOrder(new TopicPartition("orders", 0),
        new TopicPartition("orders", 2), new TopicPartition("x", 1));
    ByteBuffer back = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
        .serializeAssignment(theirs, (short) 0);
    byte[] bytes = new byte[back.remaining()];
    back.get(bytes);
    assertThat(ConsumerProtocol.readAssignment(bytes)).isEqualTo(a);
  }

  /** The rule: the same members and partition counts give Kafka's RangeAssignor's answer. */
  @Property(tries = 200)
  void rangeAssignmentMatchesKafka(@ForAll @IntRange(min = 1, max = 6) int members,
      @ForAll @IntRange(min = 1, max = 3) int topics, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Integer> counts = new TreeMap<>();
    for (int t = 0; t < topics; t++) {
      counts.put("t" + t, 1 + random.nextInt(10));
    }
    Map<String, List<String>> subs = new TreeMap<>();
    Map<String, ConsumerPartitionAssignor.Subscription> theirSubs = new HashMap<>();
    for (int m = 0; m < members; m++) {
      List<String> ts = new ArrayList<>();
      for (String t : counts.keySet()) {
        if (random.nextBoolean() || ts.isEmpty()) {
          ts.add(t);
        }
      }
      subs.put("member-" + m, ts);
      theirSubs.put("member-" + m, new ConsumerPartitionAssignor.Subscription(ts));
    }
    Map<String, List<TopicPartition>> theirs = new RangeAssignor().assignPartitions(
        partitionInfos(counts), theirSubs);
    Map<String, Map<String, List<Integer>>> ours = ConsumerProtocol.rangeAssign(subs, counts);
    for (String m : subs.keySet()) {
      List<TopicPartition> mine = new ArrayList<>();
      ours.get(m).forEach((t, ps) -> ps.forEach(p -> mine.add(new TopicPartition(t, p))));
      assertThat(mine).as("member %s, seed %s", m, seed)
          .containsExactlyInAnyOrderElementsOf(theirs.get(m));
    }
  }

  private static Map<String, List<org.apache.kafka.common.PartitionInfo>> partitionInfos(
      Map<String, Integer> counts) {
    Map<String, List<org.apache.kafka.common.PartitionInfo>> infos = new HashMap<>();
    counts.forEach((t, n) -> {
      List<org.apache.kafka.common.PartitionInfo> ps = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        ps.add(new org.apache.kafka.common.PartitionInfo(t, p, null, null, null));
      }
      infos.put(t, ps);
    });
    return infos;
  }
}
