package io.rill.cli.command;

import picocli.CommandLine.Command;

/** {@code rill cluster ...}: cluster-wide information. */
@Command(name = "cluster", description = "Cluster-wide information; drain and remove brokers.",
    subcommands = {ClusterDescribe.class, ClusterDrain.class, ClusterUnregister.class})
public final class ClusterCommand {
  private ClusterCommand() {}
}
