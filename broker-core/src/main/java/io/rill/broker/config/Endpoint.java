package io.rill.broker.config;

import java.util.ArrayList;
import java.util.List;

/** A listener as Kafka writes it: {@code NAME://host:port} (port 0 = ephemeral). */
public record Endpoint(String listenerName, String host, int port) {

  public static List<Endpoint> parseList(String key, List<String> entries) {
    List<Endpoint> out = new ArrayList<>();
    for (String entry : entries) {
      out.add(parse(key, entry));
    }
    return out;
  }

  public static Endpoint parse(String key, String entry) {
    int sep = entry.indexOf("://");
    if (sep <= 0) {
      throw new ConfigException(key, entry, "expected NAME://host:port");
    }
    String name = entry.substring(0, sep);
    HostPort hp = HostPort.parse(key, entry, entry.substring(sep + 3));
    return new Endpoint(name, hp.host(), hp.port());
  }

  @Override
  public String toString() {
    return listenerName + "://" + host + ":" + port;
  }

  /** A host and port, with IPv6 literals in brackets. */
  public record HostPort(String host, int port) {
    public static HostPort parse(String key, String whole, String text) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new ConfigException(key, whole, "missing :port");
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new ConfigException(key, whole, "port is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new ConfigException(key, whole, "port out of range");
      }
      return new HostPort(host, port);
    }
  }
}
