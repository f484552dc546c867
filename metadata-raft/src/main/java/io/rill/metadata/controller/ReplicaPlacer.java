package io.rill.metadata.controller;

import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Round-robin replica placement over the active brokers (ascending ids). Partition p of a
 * topic starts at broker {@code (seed + p) mod n} and takes the next {@code rf - 1} brokers, so
 * leaders (first replicas) spread evenly and the seed (derived from the random topic id)
 * spreads topics. Pure and deterministic: the same inputs always give the same placement.
 */
public final class ReplicaPlacer {
  private ReplicaPlacer() {}

  public static List<List<Integer>> place(
      List<Integer> activeBrokers, int seed, int partitionFirst, int count, int replicationFactor) {
    int n = activeBrokers.size();
    Checks.argument(replicationFactor >= 1 && replicationFactor <= n,
        "replication factor %s with %s brokers", replicationFactor, n);
    List<List<Integer>> out = new ArrayList<>(count);
    for (int p = partitionFirst; p < partitionFirst + count; p++) {
      List<Integer> replicas = new ArrayList<>(replicationFactor);
      int start = Math.floorMod(seed + p, n);
      for (int i = 0; i < replicationFactor; i++) {
        replicas.add(activeBrokers.get((start + i) % n));
      }
      out.add(replicas);
    }
    return out;
  }
}
