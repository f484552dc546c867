package io.rill.metadata.raft;

import io.rill.protocol.util.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The controller voters, parsed from Kafka's {@code controller.quorum.voters} form. */
public record QuorumVoters(List<Voter> voters) {
  /** Raft needs a majority; more than this many voters only slows commits. */
  public static final int VOTERS_MAX = 9;

  public record Voter(int id, String host, int port) {
    public Voter {
      Checks.argument(id >= 0, "voter id %s < 0", id);
      Checks.argument(host != null && !host.isEmpty(), "voter %s has no host", id);
      Checks.argument(port > 0 && port <= 65_535, "voter %s port %s out of range", id, port);
    }

    public String address() {
      return host + ":" + port;
    }
  }

  public QuorumVoters {
    voters = List.copyOf(voters);
    Checks.argument(!voters.isEmpty() && voters.size() <= VOTERS_MAX,
        "need 1..%s voters, got %s", VOTERS_MAX, voters.size());
    Set<Integer> ids = new HashSet<>();
    voters.forEach(v -> Checks.argument(ids.add(v.id()), "duplicate voter id %s", v.id()));
  }

  /** Parses {@code id@host:port,id@host:port}; IPv6 hosts go in brackets. */
  public static QuorumVoters parse(String spec) {
    List<Voter> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String s = part.trim();
      int at = s.indexOf('@');
      int colon = s.lastIndexOf(':');
      if (at <= 0 || colon < at + 2 || colon == s.length() - 1) {
        throw new IllegalArgumentException("controller.quorum.voters entry '" + s
            + "' is not id@host:port");
      }
      String host = s.substring(at + 1, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        out.add(new Voter(Integer.parseInt(s.substring(0, at)), host,
            Integer.parseInt(s.substring(colon + 1))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("controller.quorum.voters entry '" + s
            + "' has a bad id or port", e);
      }
    }
    return new QuorumVoters(out);
  }

  public Optional<Voter> voter(int id) {
    return voters.stream().filter(v -> v.id() == id).findFirst();
  }
}
