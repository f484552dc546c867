package io.rill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.client.Quorum;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rows of {@code rill cluster describe}: partitions led add up to the partitions with a
 * leader; a broker known only as a replica is shown as fenced/offline; quorum lag is counted
 * from the leader's log end and unknown values stay unknown (never negative, never -1).
 */
class ClusterViewTest {
  @Test
  void partitionsLedAddUpAndAReplicaOnlyBrokerIsFencedOrOffline() {
    List<ClusterView.Broker> listed = List.of(new ClusterView.Broker(2, "h2", 9002, null),
        new ClusterView.Broker(1, "h1", 9001, "rack-a"));
    List<ClusterView.Partition> partitions = List.of(
        new ClusterView.Partition(1, List.of(1, 2, 3)),
        new ClusterView.Partition(2, List.of(2, 3, 1)),
        new ClusterView.Partition(1, List.of(1, 3)),
        new ClusterView.Partition(-1, List.of(3)));

    List<Map<String, Object>> rows = ClusterView.brokers(listed, 2, partitions);

    assertThat(rows).extracting(r -> r.get("id")).containsExactly(1, 2, 3);
    assertThat(rows).extracting(r -> r.get("partitionsLed")).containsExactly(2, 1, 0);
    assertThat(rows).extracting(r -> r.get("status"))
        .containsExactly(ClusterView.ONLINE, ClusterView.ONLINE, ClusterView.FENCED_OR_OFFLINE);
    assertThat(rows).extracting(r -> r.get("controller")).containsExactly(false, true, false);
    assertThat(rows.get(0)).containsEntry("rack", "rack-a").containsEntry("port", 9001);
    assertThat(rows.get(2)).containsEntry("host", null).containsEntry("port", null);
  }

  @Test
  void lagIsCountedFromTheLeadersLogEndAndUnknownsStayUnknown() {
    long now = 1_000_000;
    Quorum q = new Quorum(1, 7, 95, List.of(
        new Quorum.Replica(1, 100, -1, now),
        new Quorum.Replica(2, 90, now - 250, now - 250),
        new Quorum.Replica(3, 101, now + 5, -1)),
        List.of(new Quorum.Replica(4, -1, -1, -1)));

    Map<String, Object> doc = ClusterView.quorum(q, now);

    assertThat(doc).containsEntry("available", true).containsEntry("leaderId", 1)
        .containsEntry("leaderEpoch", 7).containsEntry("highWatermark", 95L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> voters = (List<Map<String, Object>>) doc.get("voters");
    assertThat(voters).extracting(v -> v.get("role"))
        .containsExactly("leader", "follower", "follower");
    assertThat(voters).extracting(v -> v.get("lag")).containsExactly(0L, 10L, 0L);
    // The leader reports no fetch of its own; a clock slightly ahead is not "in the future".
    assertThat(voters).extracting(v -> v.get("lastContactMsAgo"))
        .containsExactly(null, 250L, 0L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> observers = (List<Map<String, Object>>) doc.get("observers");
    assertThat(observers).singleElement().satisfies(o -> assertThat(o)
        .containsEntry("role", "observer").containsEntry("logEndOffset", null)
        .containsEntry("lag", null));
  }

  @Test
  void withoutTheLeadersLogEndLagIsCountedFromTheHighWatermark() {
    Quorum q = new Quorum(9, 1, 50, List.of(new Quorum.Replica(2, 45, -1, -1)), List.of());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> voters =
        (List<Map<String, Object>>) ClusterView.quorum(q, 0).get("voters");
    assertThat(voters.get(0)).containsEntry("lag", 5L).containsEntry("role", "follower");
  }
}
