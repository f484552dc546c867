package io.rill.chaos.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Network partitions as sets of cut links (Jepsen's grudges): isolate one node, split a
 * majority from a minority, or a majorities ring (each node keeps the nodes next to it on a
 * shuffled ring, so each sees a majority, but no two see the same one; with 3 nodes that is one
 * cut link). Pure: functions of the node ids and a seeded Random.
 */
final class Grudges {
  private Grudges() {}

  /** A named partition: what the history records, and the links to cut. */
  record Grudge(String name, List<Set<Integer>> cuts) {}

  static Grudge isolate(int node, List<Integer> nodes) {
    List<Set<Integer>> cuts = new ArrayList<>();
    for (int other : nodes) {
      if (other != node) {
        cuts.add(Set.of(node, other));
      }
    }
    return new Grudge("isolate " + node, cuts);
  }

  static Grudge majority(List<Integer> nodes, Random random) {
    List<Integer> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, random);
    List<Integer> minority = shuffled.subList(0, nodes.size() / 2);
    List<Integer> majority = shuffled.subList(nodes.size() / 2, nodes.size());
    List<Set<Integer>> cuts = new ArrayList<>();
    for (int a : minority) {
      for (int b : majority) {
        cuts.add(Set.of(a, b));
      }
    }
    return new Grudge("minority " + minority + " | majority " + majority, cuts);
  }

  static Grudge ring(List<Integer> nodes, Random random) {
    List<Integer> ring = new ArrayList<>(nodes);
    Collections.shuffle(ring, random);
    int n = ring.size();
    int reach = (n / 2 + 1) / 2; // each node sees 2 * reach + 1: a majority for n >= 4
    Set<Set<Integer>> cuts = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int distance = Math.min(j - i, n - (j - i));
        if (distance > reach) {
          cuts.add(Set.of(ring.get(i), ring.get(j)));
        }
      }
    }
    if (cuts.isEmpty() && n >= 3) {
      cuts.add(Set.of(ring.get(0), ring.get(n - 1))); // 3 nodes: a bridge through the middle
    }
    return new Grudge("ring " + ring, new ArrayList<>(cuts));
  }
}
