package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.header.ResponseHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.message.ApiVersionsRequest;
import io.rill.protocol.message.ApiVersionsResponse;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * One blocking connection to one broker. Opens with ApiVersions and from then on sends each API
 * at the highest version both sides support (capped by {@link #CAPS} where a newer version
 * changes semantics we do not implement, e.g. topic ids instead of names).
 *
 * <p>One request in flight at a time; the methods are synchronized so a heartbeat thread and the
 * main thread may share a connection. Acks=0 produce requests get no response (Kafka protocol),
 * see {@link #sendNoResponse}.
 */
public final class BrokerConnection implements AutoCloseable {
  /** Largest response frame we accept: a fetch of many partitions stays well under this. */
  static final int RESPONSE_BYTES_MAX = 256 * 1024 * 1024;

  /** Highest versions this client implements where newer ones name things differently. */
  private static final Map<ApiKey, Short> CAPS = new EnumMap<>(ApiKey.class);

  static {
    CAPS.put(ApiKey.PRODUCE, (short) 12); // v13 names topics by id (KIP-516)
    CAPS.put(ApiKey.FETCH, (short) 12); // v13 names topics by id
    CAPS.put(ApiKey.FIND_COORDINATOR, (short) 3); // v4 batches keys (KIP-699)
    CAPS.put(ApiKey.OFFSET_FETCH, (short) 7); // v8 batches groups (KIP-709)
    CAPS.put(ApiKey.OFFSET_COMMIT, (short) 8); // v9 is for the KIP-848 protocol
  }

  private final String address;
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String clientId;
  private final Map<ApiKey, Short> versions = new EnumMap<>(ApiKey.class);
  private int correlationId;

  private BrokerConnection(String address, Socket socket, String clientId) throws IOException {
    this.address = address;
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.clientId = clientId;
  }

  /** Connects and negotiates versions; IOExceptions are the caller's to retry. */
  public static BrokerConnection open(String host, int port, String clientId, int timeoutMs)
      throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      s.setTcpNoDelay(true);
      BrokerConnection c = new BrokerConnection(host + ":" + port, s, clientId);
      c.negotiate();
      return c;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void negotiate() throws IOException {
    // v0 is answerable by every broker; v3 needs the client software fields.
    Struct req = new Struct(ApiVersionsRequest.SCHEMA);
    Struct resp = exchange(ApiKey.API_VERSIONS, (short) 0, req, true);
    ClientException.check(resp.get(ApiVersionsResponse.ERROR_CODE), "ApiVersions", address);
    for (Struct k : resp.get(ApiVersionsResponse.API_KEYS)) {
      ApiKey api = ApiKey.forId(k.get(ApiVersionsResponse.API_KEY));
      if (api == null || !ApiMessages.isRegistered(api)) {
        continue;
      }
      short ours = (short) Math.min(api.advertised.highest(), CAPS.getOrDefault(api, Short.MAX_VALUE));
      short theirs = k.get(ApiVersionsResponse.MAX_VERSION);
      short chosen = (short) Math.min(ours, theirs);
      if (chosen >= k.get(ApiVersionsResponse.MIN_VERSION) && chosen >= api.lowestServed) {
        versions.put(api, chosen);
      }
    }
  }

  public String address() {
    return address;
  }

  public boolean supports(ApiKey api) {
    return versions.containsKey(api);
  }

  /** The negotiated version; {@link ClientException.Refused} if the broker does not offer the API at all. */
  public short version(ApiKey api) {
    Short v = versions.get(api);
    if (v == null) {
      throw new ClientException.Refused(io.rill.protocol.Errors.UNSUPPORTED_VERSION,
          address + " offers no version of " + api.title + " this tool speaks");
    }
    return v;
  }

  /** Sends at the negotiated version and waits for the response. */
  public synchronized Struct send(ApiKey api, Struct body) {
    short v = version(api);
    try {
      return exchange(api, v, body, true);
    } catch (SocketTimeoutException e) {
      throw new ClientException.Unreachable(address + " did not answer " + api.title + " in time", e);
    } catch (IOException e) {
      throw new ClientException.Unreachable(address + ": " + e.getMessage(), e);
    }
  }

  /** For acks=0 produce: Kafka sends no response at all. */
  public synchronized void sendNoResponse(ApiKey api, Struct body) {
    try {
      exchange(api, version(api), body, false);
    } catch (IOException e) {
      throw new ClientException.Unreachable(address + ": " + e.getMessage(), e);
    }
  }

  private Struct exchange(ApiKey api, short version, Struct body, boolean expectResponse)
      throws IOException {
    int id = ++correlationId;
    ByteBuffer frame = ApiMessages.encodeRequest(api, version, id, clientId, body).toByteBuffer();
    byte[] sizePrefix = ByteBuffer.allocate(4).putInt(frame.remaining()).array();
    out.write(sizePrefix);
    if (frame.hasArray()) {
      out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    } else {
      byte[] copy = new byte[frame.remaining()];
      frame.get(copy);
      out.write(copy);
    }
    out.flush();
    if (!expectResponse) {
      return null;
    }
    int size = in.readInt();
    if (size < 0 || size > RESPONSE_BYTES_MAX) {
      throw new IOException("response frame of " + size + " bytes from " + address);
    }
    byte[] bytes = new byte[size];
    in.readFully(bytes);
    WireReader reader = new WireReader(ByteBuffer.wrap(bytes));
    int got = ResponseHeader.read(api, version, reader);
    if (got != id) {
      throw new IOException("correlation id " + got + " != " + id + " from " + address);
    }
    return ApiMessages.decodeResponse(api, version, reader);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("closing connection to " + address, e);
    }
  }
}
