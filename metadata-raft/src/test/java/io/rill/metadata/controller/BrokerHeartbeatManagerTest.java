package io.rill.metadata.controller;

import static io.rill.metadata.Commands.heartbeat;
import static io.rill.metadata.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.image.BrokerRegistration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerHeartbeatManagerTest {
  @Test
  void unfencedBrokersExpireAfterTheSessionTimeoutAndOnlyWhileActive() {
    ControllerHarness c = new ControllerHarness();
    for (int b = 1; b <= 2; b++) {
      long epoch = c.run(register(b, new UUID(b, b))).getRegisterBroker().getBrokerEpoch();
      c.run(heartbeat(b, epoch, c.offset, false, false));
    }
    BrokerHeartbeatManager m = new BrokerHeartbeatManager(1_000);
    assertThat(m.expired(c.image, 0)).as("inactive: nothing expires").isEmpty();
    m.activate(c.image, 10_000);
    m.touch(1, 10_900);
    assertThat(m.expired(c.image, 10_999)).isEmpty();
    assertThat(m.expired(c.image, 11_001)).extracting(BrokerRegistration::id).containsExactly(2);
    assertThat(m.expired(c.image, 11_901)).extracting(BrokerRegistration::id)
        .containsExactly(1, 2);
    m.deactivate();
    assertThat(m.expired(c.image, 99_000)).isEmpty();
  }

  @Test
  void silentBrokersAreThoseUnheardForLongerThanAskedWhileActive() {
    ControllerHarness c = new ControllerHarness();
    for (int b = 1; b <= 2; b++) {
      long epoch = c.run(register(b, new UUID(b, b))).getRegisterBroker().getBrokerEpoch();
      c.run(heartbeat(b, epoch, c.offset, false, false));
    }
    BrokerHeartbeatManager m = new BrokerHeartbeatManager(3_000);
    assertThat(m.silent(c.image, 0, 1_000)).as("inactive").isEmpty();
    m.activate(c.image, 10_000);
    m.touch(1, 10_800);
    assertThat(m.silent(c.image, 11_000, 1_000)).isEmpty();
    assertThat(m.silent(c.image, 11_001, 1_000)).extracting(BrokerRegistration::id)
        .containsExactly(2);
    assertThat(m.silent(c.image, 11_801, 1_000)).extracting(BrokerRegistration::id)
        .containsExactly(1, 2);
  }
}
