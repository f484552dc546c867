package io.rill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.client.ClientException;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A leader that cannot answer leaves only its own partitions' offsets unknown (issue: "cannot
 * reach broker 2" failed the whole describe), is asked once, and is named in one warning line;
 * a refusal that is not about the leader still fails the command.
 */
class PartitionOffsetsTest {
  private final List<Integer> asked = new ArrayList<>();

  private Map<Integer, Long> answer(TopicLayout layout, List<Integer> partitions, long ts) {
    int leader = layout.leader(partitions.get(0));
    asked.add(leader);
    if (leader == 2) {
      throw new ClientException.Unreachable("cannot reach broker 2 at 127.0.0.1:9002", null);
    }
    Map<Integer, Long> out = new TreeMap<>();
    partitions.forEach(p -> out.put(p, ts == KafkaClient.EARLIEST ? 0L : 10L + p));
    return out;
  }

  @Test
  void anUnreachableLeaderLeavesOnlyItsPartitionsUnknown() {
    PartitionOffsets offsets = new PartitionOffsets(this::answer);
    PartitionOffsets.Offsets a = offsets.fetch(new TopicLayout("a", Map.of(0, 1, 1, 2, 2, 1, 3, -1)));
    PartitionOffsets.Offsets b = offsets.fetch(new TopicLayout("b", Map.of(0, 2)));

    assertThat(a.start()).containsOnlyKeys(0, 2);
    assertThat(a.end()).containsEntry(0, 10L).containsEntry(2, 12L).doesNotContainKey(1);
    assertThat(b.start()).isEmpty();
    assertThat(asked).as("broker 2 is asked once, not per topic or per timestamp")
        .containsExactly(1, 1, 2);
    assertThat(offsets.warning()).doesNotContain("\n")
        .contains("a-1, b-0").contains("cannot reach broker 2 at 127.0.0.1:9002");
  }

  @Test
  void everyLeaderAnsweringMeansNoWarning() {
    PartitionOffsets offsets = new PartitionOffsets(this::answer);
    offsets.fetch(new TopicLayout("a", Map.of(0, 1)));
    assertThat(offsets.warning()).isEmpty();
  }

  @Test
  void aStaleLeaderIsUnknownButAnAuthorizationRefusalFails() {
    PartitionOffsets moved = new PartitionOffsets((l, ps, ts) -> {
      throw new ClientException.Refused(Errors.NOT_LEADER_OR_FOLLOWER, "a-0");
    });
    assertThat(moved.fetch(new TopicLayout("a", Map.of(0, 1))).start()).isEmpty();
    assertThat(moved.warning()).contains("NOT_LEADER_OR_FOLLOWER");

    PartitionOffsets denied = new PartitionOffsets((l, ps, ts) -> {
      throw new ClientException.Refused(Errors.TOPIC_AUTHORIZATION_FAILED, "a-0");
    });
    assertThatThrownBy(() -> denied.fetch(new TopicLayout("a", Map.of(0, 1))))
        .hasMessageContaining("TOPIC_AUTHORIZATION_FAILED");
  }
}
