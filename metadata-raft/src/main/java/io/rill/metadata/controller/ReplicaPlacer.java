package io.rill.metadata.controller;

import io.rill.metadata.image.BrokerRegistration;
import io.rill.metadata.image.MetadataImage;
import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Round-robin replica placement over the active brokers in {@link #order}. Partition p of a
 * topic starts at broker {@code (seed + p) mod n} and takes the next {@code rf - 1} brokers, so
 * leaders (first replicas) spread evenly and the seed (derived from the random topic id)
 * spreads topics. When brokers have racks ({@code broker.rack}), the order alternates racks
 * (KIP-36), so the consecutive replicas of a partition land on as many racks as there are.
 * Pure and deterministic: the same inputs always give the same placement.
 */
public final class ReplicaPlacer {
  private ReplicaPlacer() {}

  /**
   * The active brokers in placement order: ascending ids, or, when any broker has a rack, the
   * first broker of each rack (racks in name order, brokers without one as rack ""), then the
   * second of each, and so on.
   */
  public static List<Integer> order(MetadataImage image) {
    List<Integer> active = image.activeBrokerIds();
    boolean racks = active.stream()
        .anyMatch(id -> image.broker(id).flatMap(BrokerRegistration::rack).isPresent());
    if (!racks) {
      return active;
    }
    TreeMap<String, List<Integer>> byRack = new TreeMap<>();
    for (int id : active) {
      String rack = image.broker(id).flatMap(BrokerRegistration::rack).orElse("");
      byRack.computeIfAbsent(rack, r -> new ArrayList<>()).add(id);
    }
    List<Integer> out = new ArrayList<>(active.size());
    for (int i = 0; out.size() < active.size(); i++) {
      for (List<Integer> ids : byRack.values()) {
        if (i < ids.size()) {
          out.add(ids.get(i));
        }
      }
    }
    return out;
  }

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
