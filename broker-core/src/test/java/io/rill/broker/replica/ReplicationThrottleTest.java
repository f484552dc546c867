package io.rill.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationThrottleTest {
  @Test
  void aThrottledReplicasListNamesPartitionBrokerPairsOrEverything() {
    assertThat(ReplicationThrottle.listed("*", 3, 7)).isTrue();
    assertThat(ReplicationThrottle.listed(" * ", 3, 7)).isTrue();
    assertThat(ReplicationThrottle.listed("0:1,3:7", 3, 7)).isTrue();
    assertThat(ReplicationThrottle.listed("0:1, 3:7", 3, 7)).isTrue();
    assertThat(ReplicationThrottle.listed("0:1,3:8", 3, 7)).isFalse();
    assertThat(ReplicationThrottle.listed("7:3", 3, 7)).isFalse();
    assertThat(ReplicationThrottle.listed("", 3, 7)).isFalse();
    assertThat(ReplicationThrottle.listed("3", 3, 7)).isFalse();
  }
}
