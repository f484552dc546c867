package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a node is still starting — an operator or init system giving up on a start that
 * waits for its quorum — must stop it promptly and cleanly, not halt it half-started.
 */
class SigtermDuringStartIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

  @Test
  void sigtermWhileWaitingForTheQuorumStopsPromptlyAndCleanly(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    // Voter 2 never exists, so no leader is elected and the start waits for the quorum to agree
    // on a cluster id (as long as it takes: a node waits for its quorum).
    Map<String, String> absentPeer = Map.of("controller.quorum.voters",
        "1@127.0.0.1:{quorumPort},2@127.0.0.1:" + TestNode.freePort());
    try (BrokerProcess broker = new BrokerProcess(data, absentPeer)) {
      broker.start();
      awaitOutput(broker, "Waiting to join the cluster");
      assertThat(broker.output()).doesNotContain("started in");

      Duration stopping = broker.terminate();
      System.out.printf("SigtermDuringStartIT: SIGTERM during registration to exit: %d ms%n",
          stopping.toMillis());

      assertThat(broker.isAlive()).as("exited after SIGTERM; output:%n%s", broker.output())
          .isFalse();
      assertThat(stopping).as("time from SIGTERM to exit").isLessThan(Duration.ofSeconds(10));
      assertThat(broker.output()).contains("Shutdown requested", "Start-up stopped",
          "stopped in").doesNotContain("could not start");
      assertThat(data.resolve("meta.properties"))
          .as("a node that never joined a cluster writes no identity").doesNotExist();
    }
  }

  private static void awaitOutput(BrokerProcess broker, String line) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!broker.output().contains(line)) {
      assertThat(broker.isAlive()).as("alive; output:%n%s", broker.output()).isTrue();
      assertThat(System.nanoTime()).as("'%s' within %s; output:%n%s", line, DEADLINE,
          broker.output()).isLessThan(deadline);
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }
}
