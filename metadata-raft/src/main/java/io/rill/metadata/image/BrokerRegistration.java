package io.rill.metadata.image;

import io.rill.protocol.util.Checks;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A registered broker as the metadata log knows it.
 *
 * <p>Invariants: {@code epoch} is the Raft index of the command that registered this
 * incarnation (KRaft's broker epoch), so it grows with every new incarnation; a broker in
 * controlled shutdown is also fenced (it may lead nothing and join no ISR, KIP-841).
 */
public record BrokerRegistration(
    int id,
    long epoch,
    UUID incarnationId,
    List<BrokerEndpoint> endpoints,
    Optional<String> rack,
    boolean fenced,
    boolean inControlledShutdown) {

  public BrokerRegistration {
    Checks.argument(id >= 0, "broker id %s < 0", id);
    Checks.argument(epoch >= 0, "broker %s epoch %s < 0", id, epoch);
    Checks.argument(incarnationId != null && rack != null, "null field");
    Checks.argument(!inControlledShutdown || fenced, "broker %s in shutdown but not fenced", id);
    endpoints = List.copyOf(endpoints);
  }

  /** May lead partitions and join ISRs. */
  public boolean isActive() {
    return !fenced;
  }

  public BrokerRegistration withFencing(boolean fenced, boolean inControlledShutdown) {
    return new BrokerRegistration(
        id, epoch, incarnationId, endpoints, rack, fenced, inControlledShutdown);
  }
}
