package io.rill.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuorumVotersTest {
  @Test
  void parsesKafkasVoterSyntax() {
    QuorumVoters v = QuorumVoters.parse("1@localhost:9093, 2@10.0.0.2:9093,3@[::1]:9094");
    assertThat(v.voters()).containsExactly(new QuorumVoters.Voter(1, "localhost", 9093),
        new QuorumVoters.Voter(2, "10.0.0.2", 9093), new QuorumVoters.Voter(3, "::1", 9094));
  }

  @Test
  void rejectsMalformedEntriesAndDuplicates() {
    for (String bad : new String[] {"", "1@host", "host:9093", "x@h:1", "1@h:port", "1@:9093",
        "1@h:1,1@h:2", "1@h:0"}) {
      assertThatThrownBy(() -> QuorumVoters.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
