package io.rill.broker;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.server.RillNode;
import io.rill.protocol.ApiKey;
import io.rill.protocol.header.ResponseHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.message.ApiVersionsRequest;
import io.rill.protocol.message.MetadataRequest;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run behind {@code bin/broker}'s class-data archive: starts a throwaway node in
 * {@code dir} on free loopback ports, asks it for ApiVersions and Metadata as a client's first
 * connection does, and stops it. {@code bin/broker} runs this once per build under {@code
 * -XX:ArchiveClassesAtExit}, so the JVM writes every class the path from process start to a
 * first answer needed into the archive, and later starts map them instead of loading them from
 * jars (about half the time to the first Metadata answer; see docs/performance.md).
 */
final class ClassArchiveTraining {
  private static final String LOOPBACK = "127.0.0.1";
  private static final int SOCKET_TIMEOUT_MS = 30_000;

  private ClassArchiveTraining() {}

  static void run(Path dir) throws IOException, InterruptedException {
    int controllerPort = freePort();
    BrokerConfig config = BrokerConfig.load(null, Map.of(
        "log.dirs", dir.toString(),
        "listeners", "PLAINTEXT://" + LOOPBACK + ":0",
        "advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":0",
        "controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort));
    try (RillNode node = new RillNode(config)) {
      node.start();
      askLikeAClient(node.boundPort("PLAINTEXT"));
    }
  }

  private static void askLikeAClient(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), SOCKET_TIMEOUT_MS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      roundTrip(in, out, ApiKey.API_VERSIONS, (short) 3, 1, new Struct(ApiVersionsRequest.SCHEMA));
      Struct allTopics = new Struct(MetadataRequest.SCHEMA).set(MetadataRequest.TOPICS, null);
      roundTrip(in, out, ApiKey.METADATA, (short) 12, 2, allTopics);
    }
  }

  private static void roundTrip(DataInputStream in, OutputStream out, ApiKey api, short version,
      int correlationId, Struct body) throws IOException {
    ByteBuffer frame = ApiMessages.encodeRequest(api, version, correlationId, "rill-training",
        body).toByteBuffer();
    byte[] request = new byte[frame.remaining()];
    frame.get(request);
    out.write(ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).array());
    out.flush();
    byte[] response = new byte[in.readInt()];
    in.readFully(response);
    WireReader reader = new WireReader(ByteBuffer.wrap(response));
    if (ResponseHeader.read(api, version, reader) != correlationId) {
      throw new IOException(api + ": response to another request");
    }
    ApiMessages.decodeResponse(api, version, reader);
  }

  /** A port that was free a moment ago; good enough for a throwaway node on loopback. */
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
      return probe.getLocalPort();
    }
  }
}
