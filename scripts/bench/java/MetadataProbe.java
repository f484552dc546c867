import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Polls a broker until a Metadata request (v4, all topics) is answered with at least one broker, then
 * prints the wall-clock time of that answer in epoch milliseconds. Started by compare-kafka.sh right
 * before the broker process, so "answer time - launch time" is the start-to-first-Metadata figure.
 *
 * <p>Raw socket on purpose: a kafka-clients Admin would add its own class loading and back-off to the
 * figure. Metadata v4 is non-flexible (header v1 / response header v0) and both brokers support it.
 *
 * <p>Usage: java MetadataProbe host port timeoutMs
 */
public final class MetadataProbe {
  private static final short API_KEY_METADATA = 3;
  private static final short METADATA_VERSION = 4;
  private static final int POLL_INTERVAL_MS = 5;
  private static final int SOCKET_TIMEOUT_MS = 2_000;
  private static final int RESPONSE_BYTES_MAX = 16 * 1024 * 1024;

  public static void main(String[] args) throws InterruptedException {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long deadlineMs = System.currentTimeMillis() + Long.parseLong(args[2]);
    int attempts = 0;
    while (System.currentTimeMillis() < deadlineMs) {
      attempts++;
      try {
        if (metadataAnswered(host, port, attempts)) {
          System.out.println(System.currentTimeMillis() + " " + attempts);
          return;
        }
      } catch (IOException e) {
        // Not listening yet, or the connection was closed: poll again.
      }
      Thread.sleep(POLL_INTERVAL_MS);
    }
    System.err.println("no Metadata answer from " + host + ":" + port + " after " + attempts + " attempts");
    System.exit(1);
  }

  private static boolean metadataAnswered(String host, int port, int correlationId) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), SOCKET_TIMEOUT_MS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      byte[] clientId = "rill-bench-probe".getBytes(StandardCharsets.UTF_8);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      int size = 2 + 2 + 4 + 2 + clientId.length + 4 + 1;
      out.writeInt(size);
      out.writeShort(API_KEY_METADATA);
      out.writeShort(METADATA_VERSION);
      out.writeInt(correlationId);
      out.writeShort(clientId.length);
      out.write(clientId);
      out.writeInt(-1); // topics: null = all topics
      out.writeBoolean(false); // allow_auto_topic_creation
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int responseSize = in.readInt();
      if (responseSize < 12 || responseSize > RESPONSE_BYTES_MAX) {
        return false;
      }
      int responseCorrelationId = in.readInt();
      in.readInt(); // throttle_time_ms
      int brokerCount = in.readInt();
      return responseCorrelationId == correlationId && brokerCount >= 1;
    }
  }
}
