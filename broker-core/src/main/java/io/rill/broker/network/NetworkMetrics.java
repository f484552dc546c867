package io.rill.broker.network;

import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counters of the network layer. Written by acceptor and processor threads, read by
 * anyone (each read is a snapshot of one counter, not of all of them together).
 */
public final class NetworkMetrics {
  final LongAdder connectionsAccepted = new LongAdder();
  final LongAdder connectionsRejected = new LongAdder();
  final LongAdder connectionsClosed = new LongAdder();
  final LongAdder connectionsClosedIdle = new LongAdder();
  final LongAdder framesRejected = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder responses = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();

  /** Connections handed to a processor. */
  public long connectionsAccepted() {
    return connectionsAccepted.sum();
  }

  /** Connections closed at accept because a max.connections cap was reached. */
  public long connectionsRejected() {
    return connectionsRejected.sum();
  }

  /** Accepted connections closed for any reason. */
  public long connectionsClosed() {
    return connectionsClosed.sum();
  }

  /** Of {@link #connectionsClosed()}, those closed after connections.max.idle.ms. */
  public long connectionsClosedIdle() {
    return connectionsClosedIdle.sum();
  }

  /** Connections closed for an invalid frame size. */
  public long framesRejected() {
    return framesRejected.sum();
  }

  /** Complete request frames read. */
  public long requests() {
    return requests.sum();
  }

  /** Responses completely written. */
  public long responses() {
    return responses.sum();
  }

  public long bytesIn() {
    return bytesIn.sum();
  }

  public long bytesOut() {
    return bytesOut.sum();
  }

  /** Connections currently open: accepted and not yet closed. */
  public long connectionsOpen() {
    return connectionsAccepted() - connectionsClosed();
  }
}
