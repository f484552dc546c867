package io.rill.broker;

import io.rill.broker.config.BrokerConfig;
import io.rill.broker.server.RillNode;
import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.header.ResponseHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.message.ApiVersionsRequest;
import io.rill.protocol.message.CreateTopicsRequest;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FindCoordinatorRequest;
import io.rill.protocol.message.MetadataRequest;
import io.rill.protocol.message.OffsetCommitRequest;
import io.rill.protocol.message.OffsetCommitResponse;
import io.rill.protocol.message.OffsetFetchRequest;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run behind {@code bin/broker}'s class-data archive: starts a throwaway node in
 * {@code dir} on free loopback ports, talks to it as a client's first session does (ApiVersions,
 * Metadata, CreateTopics, Produce, Fetch, FindCoordinator, OffsetCommit, OffsetFetch), and stops
 * it. {@code bin/broker} runs this once per build under {@code -XX:ArchiveClassesAtExit}, so the
 * JVM writes every class those paths loaded, and the lambda and string-concatenation classes
 * their call sites spun, into the archive. Later starts map them instead of loading them from
 * jars (about half the time to the first Metadata answer) and link those call sites without
 * generating bytecode when a client first produces or consumes (docs/performance.md).
 *
 * <p>Best effort past the first Metadata answer: a request the broker refuses is logged and the
 * training goes on, since the archive is only an optimisation.
 */
final class ClassArchiveTraining {
  private static final Logger log = LoggerFactory.getLogger(ClassArchiveTraining.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final int SOCKET_TIMEOUT_MS = 30_000;
  private static final String TOPIC = "rill-training";
  private static final String GROUP = "rill-training";
  private static final int RECORDS = 100;
  /** How long the offset commit may wait for __consumer_offsets to be created and loaded. */
  private static final long COORDINATOR_WAIT_MS = 15_000;
  private static final long RETRY_BACKOFF_MS = 20;

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

  private static void askLikeAClient(int port) throws IOException, InterruptedException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), SOCKET_TIMEOUT_MS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      Connection c = new Connection(new DataInputStream(socket.getInputStream()),
          socket.getOutputStream());
      c.roundTrip(ApiKey.API_VERSIONS, (short) 3, new Struct(ApiVersionsRequest.SCHEMA));
      c.roundTrip(ApiKey.METADATA, (short) 12,
          new Struct(MetadataRequest.SCHEMA).set(MetadataRequest.TOPICS, null));

      Struct create = new Struct(CreateTopicsRequest.SCHEMA);
      create.addElement(CreateTopicsRequest.TOPICS).set(CreateTopicsRequest.NAME, TOPIC)
          .set(CreateTopicsRequest.NUM_PARTITIONS, 1)
          .set(CreateTopicsRequest.REPLICATION_FACTOR, (short) 1);
      c.roundTrip(ApiKey.CREATE_TOPICS, (short) 7, create);

      Struct produce = new Struct(ProduceRequest.SCHEMA).set(ProduceRequest.ACKS, (short) -1)
          .set(ProduceRequest.TIMEOUT_MS, SOCKET_TIMEOUT_MS);
      produce.addElement(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TOPIC_NAME, TOPIC)
          .addElement(ProduceRequest.PARTITION_DATA).set(ProduceRequest.PARTITION_INDEX, 0)
          .set(ProduceRequest.RECORDS, batch());
      c.roundTrip(ApiKey.PRODUCE, (short) 9, produce);

      Struct fetch = new Struct(FetchRequest.SCHEMA).set(FetchRequest.MAX_WAIT_MS, 0)
          .set(FetchRequest.MIN_BYTES, 1);
      fetch.addElement(FetchRequest.TOPICS).set(FetchRequest.TOPIC, TOPIC)
          .addElement(FetchRequest.PARTITIONS).set(FetchRequest.PARTITION, 0)
          .set(FetchRequest.FETCH_OFFSET, 0L).set(FetchRequest.PARTITION_MAX_BYTES, 1 << 20);
      c.roundTrip(ApiKey.FETCH, (short) 12, fetch);

      Struct find = new Struct(FindCoordinatorRequest.SCHEMA)
          .set(FindCoordinatorRequest.COORDINATOR_KEYS, List.of(GROUP));
      c.roundTrip(ApiKey.FIND_COORDINATOR, (short) 4, find);
      commitOffsets(c);
      Struct offsets = new Struct(OffsetFetchRequest.SCHEMA);
      offsets.addElement(OffsetFetchRequest.GROUPS).set(OffsetFetchRequest.GROUP_GROUP_ID, GROUP);
      c.roundTrip(ApiKey.OFFSET_FETCH, (short) 8, offsets);
    }
  }

  /** Commits as a group-less consumer does; retries while the offsets topic comes up. */
  private static void commitOffsets(Connection c) throws IOException, InterruptedException {
    Struct commit = new Struct(OffsetCommitRequest.SCHEMA)
        .set(OffsetCommitRequest.GROUP_ID, GROUP);
    commit.addElement(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.TOPIC_NAME, TOPIC)
        .addElement(OffsetCommitRequest.PARTITIONS).set(OffsetCommitRequest.PARTITION_INDEX, 0)
        .set(OffsetCommitRequest.COMMITTED_OFFSET, (long) RECORDS);
    long deadline = System.nanoTime() + COORDINATOR_WAIT_MS * 1_000_000;
    while (true) {
      Struct response = c.roundTrip(ApiKey.OFFSET_COMMIT, (short) 8, commit);
      short error = response.get(OffsetCommitResponse.TOPICS).get(0)
          .get(OffsetCommitResponse.PARTITIONS).get(0).getShort(OffsetCommitResponse.ERROR_CODE);
      if (error == Errors.NONE.code) {
        return;
      }
      if (System.nanoTime() > deadline) {
        log.warn("Training: offset commit still failing with {}; going on",
            Errors.forCode(error));
        return;
      }
      Thread.sleep(RETRY_BACKOFF_MS);
    }
  }

  private static ByteBuffer batch() {
    RecordBatchBuilder builder = new RecordBatchBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < RECORDS; i++) {
      builder.tryAppend(now, ("key-" + i).getBytes(StandardCharsets.UTF_8),
          ("value-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  /** A blocking client connection: one request at a time, correlation ids in order. */
  private static final class Connection {
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    Connection(DataInputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    Struct roundTrip(ApiKey api, short version, Struct body) throws IOException {
      return ClassArchiveTraining.roundTrip(in, out, api, version, ++correlationId, body);
    }
  }

  private static Struct roundTrip(DataInputStream in, OutputStream out, ApiKey api,
      short version, int correlationId, Struct body) throws IOException {
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
    return ApiMessages.decodeResponse(api, version, reader);
  }

  /** A port that was free a moment ago; good enough for a throwaway node on loopback. */
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
      return probe.getLocalPort();
    }
  }
}
