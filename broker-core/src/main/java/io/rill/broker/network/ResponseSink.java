package io.rill.broker.network;

/** Where a finished request's {@link Response} goes: its processor's response queue. */
interface ResponseSink {
  /** Queues the response and wakes the processor; callable from any thread, never blocks. */
  void enqueue(Response response);
}
