package io.rill.broker.config;

import java.util.ArrayList;
import java.util.List;

/** One metadata-quorum voter as Kafka writes it in controller.quorum.voters: {@code id@host:port}. */
public record QuorumVoter(int id, String host, int port) {

  public static List<QuorumVoter> parseList(String key, List<String> entries) {
    List<QuorumVoter> out = new ArrayList<>();
    for (String entry : entries) {
      int at = entry.indexOf('@');
      if (at <= 0) {
        throw new ConfigException(key, entry, "expected id@host:port");
      }
      int id;
      try {
        id = Integer.parseInt(entry.substring(0, at));
      } catch (NumberFormatException e) {
        throw new ConfigException(key, entry, "voter id is not a number");
      }
      Endpoint.HostPort hp = Endpoint.HostPort.parse(key, entry, entry.substring(at + 1));
      out.add(new QuorumVoter(id, hp.host(), hp.port()));
    }
    return out;
  }

  @Override
  public String toString() {
    return id + "@" + host + ":" + port;
  }
}
