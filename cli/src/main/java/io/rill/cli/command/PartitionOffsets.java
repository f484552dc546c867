package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.KafkaClient;
import io.rill.client.TopicLayout;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The log start and end offsets of the partitions {@code rill topics describe} shows, asked of
 * each partition's leader. A leader that cannot answer (it just died and the metadata still names
 * it, or leadership moved since) leaves its partitions' offsets unknown rather than failing the
 * whole command: a describe is most wanted exactly when a broker is down. Leaders that failed
 * once are not asked again, so one dead broker costs at most one timeout.
 *
 * <p>One instance per command run; not thread-safe.
 */
final class PartitionOffsets {
  /** Asks one leader for the offsets of some of its partitions (KafkaClient#listOffsets). */
  @FunctionalInterface
  interface Lister {
    Map<Integer, Long> list(TopicLayout layout, List<Integer> partitions, long timestamp);
  }

  /** Offsets of one topic's partitions; a partition missing from both maps is unknown. */
  record Offsets(Map<Integer, Long> start, Map<Integer, Long> end) {}

  private final Lister lister;
  private final Set<Integer> failedLeaders = new HashSet<>();
  private final List<String> unknown = new ArrayList<>();
  private final Set<String> reasons = new LinkedHashSet<>();

  PartitionOffsets(Lister lister) {
    this.lister = lister;
  }

  static PartitionOffsets of(KafkaClient client) {
    return new PartitionOffsets(client::listOffsets);
  }

  /** Offsets of the partitions of {@code layout} that have a leader (leader id >= 0). */
  Offsets fetch(TopicLayout layout) {
    Map<Integer, List<Integer>> byLeader = new TreeMap<>();
    for (int p : layout.partitions()) {
      if (layout.leader(p) >= 0) {
        byLeader.computeIfAbsent(layout.leader(p), k -> new ArrayList<>()).add(p);
      }
    }
    Map<Integer, Long> start = new HashMap<>();
    Map<Integer, Long> end = new HashMap<>();
    for (Map.Entry<Integer, List<Integer>> e : byLeader.entrySet()) {
      int leader = e.getKey();
      try {
        if (failedLeaders.contains(leader)) {
          throw new ClientException.Unreachable("broker " + leader + " failed already", null);
        }
        start.putAll(lister.list(layout, e.getValue(), KafkaClient.EARLIEST));
        end.putAll(lister.list(layout, e.getValue(), KafkaClient.LATEST));
      } catch (ClientException ex) {
        if (!leaderCannotAnswer(ex)) {
          throw ex;
        }
        if (failedLeaders.add(leader)) {
          reasons.add(ex.getMessage());
        }
        for (int p : e.getValue()) {
          start.remove(p);
          end.remove(p);
          unknown.add(layout.topic() + "-" + p);
        }
      }
    }
    return new Offsets(start, end);
  }

  /** Down, unreachable or no longer the leader: the partition is fine, this answer is not. */
  private static boolean leaderCannotAnswer(ClientException e) {
    if (e instanceof ClientException.Refused r) {
      return r.error().retriable || r.error() == Errors.BROKER_NOT_AVAILABLE;
    }
    return true;
  }

  /** The one warning line for stderr, or empty when every leader answered. */
  String warning() {
    if (unknown.isEmpty()) {
      return "";
    }
    return "rill: warning: log offsets unknown (?) for " + String.join(", ", unknown) + ": "
        + String.join("; ", reasons);
  }
}
