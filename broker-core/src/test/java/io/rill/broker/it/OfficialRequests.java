package io.rill.broker.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One request built and its answer parsed by kafka-clients' own message classes, over a plain
 * socket: for the versions and cases the official clients choose themselves and a test cannot
 * steer them to (a request to a broker that does not lead, an old version).
 */
final class OfficialRequests {
  /** Bounds a read of a response, so a broker that never answers fails the test. */
  static final int READ_TIMEOUT_MS = 15_000;

  private static final AtomicInteger correlationIds = new AtomicInteger();

  private OfficialRequests() {}

  /** Sends one request at {@code version} on a fresh connection to {@code port}. */
  @SuppressWarnings("unchecked")
  static <R extends AbstractResponse> R send(int port, AbstractRequest.Builder<?> builder,
      int version) throws IOException {
    AbstractRequest request = builder.build((short) version);
    RequestHeader header = new RequestHeader(request.apiKey(), (short) version,
        "official-requests", correlationIds.incrementAndGet());
    ByteBuffer frame = request.serializeWithHeader(header);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] bytes = new byte[frame.remaining()];
      frame.get(bytes);
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] response = new byte[in.readInt()];
      in.readFully(response);
      return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }
  }
}
