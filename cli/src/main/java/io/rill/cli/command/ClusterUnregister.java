package io.rill.cli.command;

import io.rill.client.Reassignments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rill cluster unregister BROKER}: as {@code kafka-cluster unregister}. */
@Command(name = "unregister",
    description = {"Remove a broker that is gone for good from the cluster metadata "
        + "(UnregisterBroker).",
        "Its leaderships and ISR places move at once; replicas it still holds stay listed as "
            + "offline until reassigned, so drain it first ('rill cluster drain BROKER')."})
final class ClusterUnregister extends BaseCommand {
  @Parameters(index = "0", paramLabel = "BROKER", description = "The broker id.")
  int broker;

  @Override
  void execute() {
    Reassignments.unregisterBroker(client(), broker);
    output().err().println("Broker " + broker + " unregistered.");
  }
}
