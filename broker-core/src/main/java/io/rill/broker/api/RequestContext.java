package io.rill.broker.api;

import io.rill.broker.log.FileRegion;
import io.rill.broker.network.ByteBufferSend;
import io.rill.broker.network.CompositeSend;
import io.rill.broker.network.FileRegionSend;
import io.rill.broker.network.NetworkRequest;
import io.rill.broker.network.Send;
import io.rill.protocol.ApiKey;
import io.rill.protocol.header.RequestHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decoded request on its way through a handler: the API, version and header, and the
 * network request to finish. Responses are encoded at the request's version; record data held
 * as {@link FileRegion}s goes to the socket by zero-copy transfer, never through the heap.
 *
 * <p>May be finished from any thread, exactly once.
 */
public final class RequestContext {
  private static final Logger log = LoggerFactory.getLogger(RequestContext.class);

  private final NetworkRequest network;
  private final RequestHeader header;
  private final ApiKey api;

  RequestContext(NetworkRequest network, RequestHeader header, ApiKey api) {
    this.network = network;
    this.header = header;
    this.api = api;
  }

  public ApiKey api() {
    return api;
  }

  public short version() {
    return header.apiVersion();
  }

  public RequestHeader header() {
    return header;
  }

  public String clientId() {
    return header.clientId();
  }

  public String connectionId() {
    return network.connectionId();
  }

  public String listenerName() {
    return network.listenerName();
  }

  /**
   * Encodes and sends {@code body} as this request's response. Often called from a future's
   * callback, where an exception would vanish and leave the client waiting: a response that
   * cannot be encoded is logged and the connection closed instead.
   */
  public void respond(Struct body) {
    respondAtVersion(body, version());
  }

  /**
   * Sends {@code body} encoded at {@code version} rather than the request's: an ApiVersions
   * request newer than ours is answered with a v0 body, the one form every client can parse.
   */
  void respondAtVersion(Struct body, short version) {
    Send send;
    try {
      WireWriter out = ApiMessages.encodeResponse(api, version, header.correlationId(), body);
      send = toSend(out.chunks());
    } catch (RuntimeException e) {
      log.error("Cannot encode the response to {}; closing the connection", this, e);
      network.closeConnection();
      return;
    }
    network.sendResponse(send);
  }

  /** Finishes without a response (a produce with acks=0). */
  public void noResponse() {
    network.noResponse();
  }

  public void closeConnection() {
    network.closeConnection();
  }

  public boolean isFinished() {
    return network.isFinished();
  }

  /** Heap chunks go out in gathering writes; file regions by transferTo, in wire order. */
  static Send toSend(List<Object> chunks) {
    List<Send> parts = new ArrayList<>();
    List<ByteBuffer> run = new ArrayList<>();
    for (Object chunk : chunks) {
      if (chunk instanceof ByteBuffer b) {
        run.add(b);
      } else {
        if (!run.isEmpty()) {
          parts.add(new ByteBufferSend(run.toArray(ByteBuffer[]::new)));
          run.clear();
        }
        parts.add(new FileRegionSend((FileRegion) chunk));
      }
    }
    if (!run.isEmpty()) {
      parts.add(new ByteBufferSend(run.toArray(ByteBuffer[]::new)));
    }
    return parts.size() == 1 ? parts.get(0) : new CompositeSend(parts);
  }

  @Override
  public String toString() {
    return api.title + " v" + version() + " correlation " + header.correlationId() + " from "
        + network.clientAddress() + " (" + header.clientId() + ")";
  }
}
