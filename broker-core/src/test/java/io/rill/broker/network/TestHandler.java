package io.rill.broker.network;

import io.rill.broker.log.FileRegion;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The request handler of the network tests; the api key picks the behaviour. Every response
 * starts with the request's correlation id (int32), as a Kafka response header does.
 */
final class TestHandler implements RequestHandler, AutoCloseable {
  /** Response: correlation id + the request body (payload after the 8-byte peek). */
  static final int API_ECHO = 18;
  /** No response, like an acks=0 produce. */
  static final int API_NO_RESPONSE = 0;
  /** The handler throws. */
  static final int API_THROW = 99;
  /** The handler asks to close the connection. */
  static final int API_CLOSE = 98;
  /** Correlation id + file region + trailer + region again: a fetch-like composite. */
  static final int API_FILE = 1;
  /** Echo, answered from another thread after {@link #DEFERRED_MS} (a purgatory). */
  static final int API_DEFERRED = 3;
  /** Echo after the handler thread waited for {@link #release} (tests only). */
  static final int API_BLOCK = 4;

  static final long DEFERRED_MS = 300;
  static final byte[] TRAILER = "--trailer--".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final ScheduledExecutorService purgatory = Executors.newSingleThreadScheduledExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile FileRegion region;

  void fileRegion(FileRegion region) {
    this.region = region;
  }

  void release() {
    release.countDown();
  }

  @Override
  public void handle(NetworkRequest request) {
    switch (request.apiKey()) {
      case API_ECHO -> request.sendResponse(echo(request));
      case API_NO_RESPONSE -> request.noResponse();
      case API_THROW -> throw new IllegalStateException("test handler throws as asked");
      case API_CLOSE -> request.closeConnection();
      case API_FILE -> request.sendResponse(fileResponse(request));
      case API_DEFERRED -> purgatory.schedule(
          () -> request.sendResponse(echo(request)), DEFERRED_MS, TimeUnit.MILLISECONDS);
      case API_BLOCK -> {
        awaitRelease();
        request.sendResponse(echo(request));
      }
      default -> throw new IllegalArgumentException("unknown api key " + request.apiKey());
    }
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Send echo(NetworkRequest request) {
    ByteBuffer header = ByteBuffer.allocate(4).putInt(0, request.correlationId());
    ByteBuffer body = request.payload().position(NetworkRequest.HEADER_PEEK_BYTES);
    return new ByteBufferSend(header, body);
  }

  private Send fileResponse(NetworkRequest request) {
    FileRegion r = region;
    ByteBuffer header = ByteBuffer.allocate(4).putInt(0, request.correlationId());
    return new CompositeSend(List.of(
        new ByteBufferSend(header),
        new FileRegionSend(r),
        new ByteBufferSend(ByteBuffer.wrap(TRAILER)),
        new FileRegionSend(new FileRegion(r.channel(), r.position(), r.length()))));
  }

  @Override
  public void close() {
    release();
    purgatory.shutdownNow();
  }
}
