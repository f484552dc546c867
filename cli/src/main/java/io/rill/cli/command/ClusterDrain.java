package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Reassignments;
import io.rill.client.Reassignments.Tp;
import io.rill.protocol.Errors;
import io.rill.protocol.message.MetadataResponse;
import io.rill.protocol.schema.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rill cluster drain BROKER}: moves every replica of a broker (internal topics included)
 * to the other live brokers, evenly ({@link DrainPlan}), then follows the reassignments until
 * the broker holds nothing. Afterwards it can be stopped and removed for good with {@code rill
 * cluster unregister}.
 */
@Command(name = "drain",
    description = {"Move every replica off a broker, then follow progress until it holds none.",
        "Each partition's replica on BROKER is replaced by the live broker holding the fewest "
            + "replicas that is not already one of its replicas; the new replica copies the "
            + "data and joins the ISR before the old one is removed. Then stop the broker and "
            + "run 'rill cluster unregister BROKER'."})
final class ClusterDrain extends BaseCommand {
  @Parameters(index = "0", paramLabel = "BROKER", description = "The broker id to drain.")
  int broker;

  @Option(names = "--no-wait", description = "Start the reassignments and return.")
  boolean noWait;

  @Option(names = "--wait-timeout-s", paramLabel = "S", defaultValue = "3600",
      description = "How long to follow progress (default ${DEFAULT-VALUE}).")
  long waitTimeoutS;

  @Override
  void execute() throws InterruptedException {
    Struct md = client().metadata(null);
    List<Integer> live = new ArrayList<>();
    md.get(MetadataResponse.BROKERS).forEach(b -> live.add(b.get(MetadataResponse.BROKER_NODE_ID)));
    Map<Tp, List<Integer>> replicas = new TreeMap<>();
    for (Struct t : md.get(MetadataResponse.TOPICS)) {
      for (Struct p : t.get(MetadataResponse.PARTITIONS)) {
        replicas.put(new Tp(t.get(MetadataResponse.TOPIC_NAME),
            p.get(MetadataResponse.PARTITION_INDEX)), p.get(MetadataResponse.REPLICA_NODES));
      }
    }
    DrainPlan.Outcome plan = DrainPlan.plan(broker, replicas, live);
    if (plan.stuck().isPresent()) {
      Tp tp = plan.stuck().get();
      throw new ClientException.Refused(Errors.INVALID_REPLICA_ASSIGNMENT, "cannot drain broker "
          + broker + ": " + tp + " has replicas " + replicas.get(tp) + " and no other live"
          + " broker (live: " + live + ") can take its replica; add a broker first");
    }
    if (plan.targets().isEmpty()) {
      output().err().println("Broker " + broker + " holds no replicas: nothing to move.");
      return;
    }
    output().err().println("Draining broker " + broker + ": moving " + plan.targets().size()
        + " partitions");
    PartitionsCommand.report(this, Reassignments.alter(client(), plan.targets()));
    if (noWait) {
      return;
    }
    Set<Tp> left = ReassignmentProgress.await(client(), new TreeSet<>(plan.targets().keySet()),
        waitTimeoutS * 1000, output().err());
    if (!left.isEmpty()) {
      throw new ClientException.Refused(Errors.REQUEST_TIMED_OUT,
          "still moving after " + waitTimeoutS + " s: " + left);
    }
    output().err().println("Broker " + broker + " holds no replicas now.");
  }
}
