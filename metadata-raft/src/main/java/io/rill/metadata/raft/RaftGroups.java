package io.rill.metadata.raft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Which Raft group a voter belongs to. A node with Raft storage keeps the group its storage
 * was formed with (Ratis names the directory after the group id), so a node's identity never
 * changes under it. A new node derives the id from the voter list, which every node of one
 * cluster is given alike; nodes with disagreeing lists land in different groups and never form
 * a quorum together, rather than one with a wrong majority.
 */
final class RaftGroups {
  private RaftGroups() {}

  static RaftGroupId groupIdFor(Path storageDir, QuorumVoters voters) throws IOException {
    List<UUID> existing = existingGroups(storageDir);
    if (existing.size() > 1) {
      throw new IOException("metadata storage " + storageDir + " holds several Raft groups "
          + existing + "; refusing to guess which is this cluster's");
    }
    return existing.isEmpty() ? derived(voters) : RaftGroupId.valueOf(existing.get(0));
  }

  /** The same for every node given the same voters, in any order. */
  static RaftGroupId derived(QuorumVoters voters) {
    String key = voters.voters().stream()
        .sorted(java.util.Comparator.comparingInt(QuorumVoters.Voter::id))
        .map(v -> v.id() + "@" + v.address()).reduce((a, b) -> a + "," + b).orElseThrow();
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("rill-metadata/" + key).getBytes(StandardCharsets.UTF_8)));
  }

  private static List<UUID> existingGroups(Path storageDir) throws IOException {
    if (!Files.isDirectory(storageDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(storageDir)) {
      return dirs.filter(d -> Files.isDirectory(d.resolve("current")))
          .map(Path::getFileName).map(Path::toString)
          .map(RaftGroups::parseUuid).flatMap(java.util.Optional::stream).toList();
    }
  }

  private static java.util.Optional<UUID> parseUuid(String name) {
    try {
      return java.util.Optional.of(UUID.fromString(name));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

}
