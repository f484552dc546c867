package io.rill.broker.network;

/**
 * How a handler finished a request; travels from a handler thread to the request's processor
 * through that processor's response queue. Exactly one per request.
 */
sealed interface Response {
  NetworkRequest request();

  /** Write {@code send} (size prefix added by the processor), then read the next frame. */
  record SendResponse(NetworkRequest request, Send send) implements Response {}

  /** Nothing to write (acks=0 produce): read the next frame. */
  record NoResponse(NetworkRequest request) implements Response {}

  /** Close the connection without a response. */
  record CloseConnection(NetworkRequest request) implements Response {}
}
