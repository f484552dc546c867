package io.rill.cli.command;

import io.rill.client.ClientException;
import io.rill.client.Reassignments;
import io.rill.client.Reassignments.Result;
import io.rill.client.Reassignments.Tp;
import io.rill.protocol.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rill partitions ...}: move replicas and leaderships (kafka-reassign-partitions). */
@Command(name = "partitions",
    description = "Reassign partitions, follow reassignments, elect leaders.",
    subcommands = {PartitionsCommand.Reassign.class, PartitionsCommand.ListReassignments.class,
        PartitionsCommand.ElectLeaders.class})
public final class PartitionsCommand {
  private PartitionsCommand() {}

  /** {@code TOPIC:PARTITION} as given on the command line. */
  static Tp parsePartition(String s, BaseCommand cmd) {
    int colon = s.lastIndexOf(':');
    try {
      if (colon > 0) {
        return new Tp(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw cmd.usage("expected TOPIC:PARTITION, got '" + s + "'");
  }

  /** Prints the results; exits 1 (Refused) naming the first refusal if any partition failed. */
  static void report(BaseCommand cmd, List<Result> results) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Result firstRefusal = null;
    for (Result r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("topic", r.partition().topic());
      row.put("partition", r.partition().partition());
      row.put("result", r.error() == Errors.NONE ? "ok" : r.error().name());
      row.put("message", r.message());
      rows.add(row);
      if (r.error() != Errors.NONE && firstRefusal == null) {
        firstRefusal = r;
      }
    }
    cmd.output().rows("results", List.of("topic", "partition", "result", "message"), rows);
    if (firstRefusal != null) {
      throw new ClientException.Refused(firstRefusal.error(), firstRefusal.partition() + ": "
          + firstRefusal.message());
    }
  }

  @Command(name = "reassign",
      description = {"Move partitions to other replicas (AlterPartitionReassignments, KIP-455).",
          "New replicas copy the data from the leader and join the ISR; then the old ones are "
              + "removed and delete their copy. With --wait, follows progress until done.",
          "Example: rill partitions reassign orders:0=2,3,4 orders:1=3,4,1 --wait"})
  static final class Reassign extends BaseCommand {
    @Parameters(paramLabel = "TOPIC:PARTITION=BROKERS", arity = "1..*",
        description = "Target replicas (comma-separated broker ids, the first preferred "
            + "leader); with --cancel just TOPIC:PARTITION.")
    List<String> specs;

    @Option(names = "--cancel", description = "Cancel the reassignments of these partitions.")
    boolean cancel;

    @Option(names = "--wait", description = "Wait until every reassignment has completed.")
    boolean await;

    @Option(names = "--wait-timeout-s", paramLabel = "S", defaultValue = "3600",
        description = "How long --wait follows progress (default ${DEFAULT-VALUE}).")
    long waitTimeoutS;

    @Override
    void execute() throws InterruptedException {
      Map<Tp, List<Integer>> targets = new LinkedHashMap<>();
      for (String spec : specs) {
        int eq = spec.indexOf('=');
        if (cancel != (eq < 0)) {
          throw usage(cancel ? "--cancel takes TOPIC:PARTITION, got '" + spec + "'"
              : "expected TOPIC:PARTITION=BROKER,BROKER,..., got '" + spec + "'");
        }
        Tp tp = parsePartition(cancel ? spec : spec.substring(0, eq), this);
        targets.put(tp, cancel ? null : brokers(spec.substring(eq + 1)));
      }
      List<Result> results = Reassignments.alter(client(), targets);
      report(this, results);
      if (await && !cancel) {
        Set<Tp> moving = new TreeSet<>(targets.keySet());
        Set<Tp> left = ReassignmentProgress.await(client(), moving, waitTimeoutS * 1000,
            output().err());
        if (!left.isEmpty()) {
          throw new ClientException.Refused(Errors.REQUEST_TIMED_OUT,
              "still moving after " + waitTimeoutS + " s: " + left);
        }
      }
    }

    private List<Integer> brokers(String list) {
      List<Integer> ids = new ArrayList<>();
      for (String s : list.split(",")) {
        try {
          ids.add(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
          throw usage("broker ids must be integers, got '" + list + "'");
        }
      }
      return ids;
    }
  }

  @Command(name = "reassignments",
      description = "List the reassignments in progress (ListPartitionReassignments).")
  static final class ListReassignments extends BaseCommand {
    @Override
    void execute() {
      List<Map<String, Object>> rows = new ArrayList<>();
      Reassignments.list(client()).forEach((tp, o) -> {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("topic", tp.topic());
        row.put("partition", tp.partition());
        row.put("replicas", o.replicas());
        row.put("adding", o.adding());
        row.put("removing", o.removing());
        rows.add(row);
      });
      output().rows("reassignments",
          List.of("topic", "partition", "replicas", "adding", "removing"), rows);
    }
  }

  @Command(name = "elect-leaders",
      description = {"Elect leaders (ElectLeaders, KIP-460), as kafka-leader-election.",
          "Preferred (default): each partition's first replica leads if it is in sync. "
              + "--unclean: a leaderless partition takes a leader from outside the ISR, "
              + "LOSING what the ISR had and it lacks.",
          "Without partitions: every partition (only those that changed are listed)."})
  static final class ElectLeaders extends BaseCommand {
    @Parameters(paramLabel = "TOPIC:PARTITION", arity = "0..*",
        description = "Partitions to elect leaders for; all when none are given.")
    List<String> partitions;

    @Option(names = "--unclean", description = "Unclean election (may lose data).")
    boolean unclean;

    @Override
    void execute() {
      List<Tp> asked = null;
      if (partitions != null && !partitions.isEmpty()) {
        asked = new ArrayList<>();
        for (String p : partitions) {
          asked.add(parsePartition(p, this));
        }
      }
      List<Result> results = Reassignments.electLeaders(client(), unclean, asked);
      // Asked for all, "not needed" never shows; asked for some, it is an answer, not a failure.
      List<Result> shown = new ArrayList<>();
      for (Result r : results) {
        shown.add(r.error() == Errors.ELECTION_NOT_NEEDED
            ? new Result(r.partition(), Errors.NONE, unclean ? "already has a leader"
                : "already led by its preferred replica")
            : r);
      }
      report(this, shown);
    }
  }
}
