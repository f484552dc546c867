package io.rill.metadata.raft;

import io.rill.metadata.image.BrokerEndpoint;
import io.rill.metadata.image.BrokerRegistration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Whether a broker's process is certainly gone: every client listener it registered refuses
 * connections (the peer's kernel answered the SYN with a reset: nothing listens on that port).
 * A killed process's ports refuse at once, while its session would take {@code
 * broker.session.timeout.ms} to run out; a paused process, a slow one or one behind a network cut
 * never refuses (its kernel still accepts, or nothing answers at all), so only a dead listener
 * shortens a session. A broker binds its listeners before it registers and closes them after its
 * controlled shutdown, so a registered, unfenced broker whose listeners refuse is not serving.
 *
 * <p>Blocking (up to {@code timeoutMs} per endpoint): call it off the liveness thread.
 */
final class ListenerProbe {
  private ListenerProbe() {}

  static boolean refused(BrokerRegistration broker, int timeoutMs) {
    if (broker.endpoints().isEmpty()) {
      return false;
    }
    for (BrokerEndpoint e : broker.endpoints()) {
      if (!refused(e.host(), e.port(), timeoutMs)) {
        return false;
      }
    }
    return true;
  }

  static boolean refused(String host, int port, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      return false;
    } catch (ConnectException e) {
      // Only a reset counts; "Connection timed out" and the like prove nothing.
      String m = e.getMessage();
      return m != null && m.toLowerCase(Locale.ROOT).contains("refused");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
