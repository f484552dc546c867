package io.rill.broker.replica;

import io.rill.metadata.command.AlterPartitionRequest;
import io.rill.metadata.command.AlterPartitionResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Where a leader sends its ISR changes: AlterPartition to the active controller, which checks
 * the leader and partition epochs (compare-and-set) and the new members' eligibility (KIP-841)
 * before it logs the change. The broker id and epoch are filled in here.
 */
public interface IsrChanges {
  CompletableFuture<AlterPartitionResponse> send(AlterPartitionRequest.Builder request);
}
