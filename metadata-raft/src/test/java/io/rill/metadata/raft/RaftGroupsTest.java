package io.rill.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftGroupsTest {
  @Test
  void nodesGivenTheSameVotersInAnyOrderShareAGroupAndOtherListsDoNot(@TempDir Path dir)
      throws Exception {
    var a = RaftGroups.groupIdFor(dir.resolve("a"),
        QuorumVoters.parse("1@h:1,2@h:2,3@h:3"));
    var b = RaftGroups.groupIdFor(dir.resolve("b"),
        QuorumVoters.parse("3@h:3,1@h:1,2@h:2"));
    var other = RaftGroups.groupIdFor(dir.resolve("c"),
        QuorumVoters.parse("1@h:1,2@h:2,3@h:4"));
    assertThat(a).isEqualTo(b).isNotEqualTo(other);
  }

  @Test
  void aNodeWithRaftStorageKeepsItsGroupWhateverTheVoters(@TempDir Path dir) throws Exception {
    UUID formed = UUID.randomUUID();
    Files.createDirectories(dir.resolve(formed.toString()).resolve("current"));
    assertThat(RaftGroups.groupIdFor(dir, QuorumVoters.parse("1@h:1")).getUuid())
        .isEqualTo(formed);
  }
}
