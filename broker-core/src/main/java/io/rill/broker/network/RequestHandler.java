package io.rill.broker.network;

/**
 * Does the work of a request on a handler thread and finishes it with exactly one of {@link
 * NetworkRequest#sendResponse}, {@link NetworkRequest#noResponse} or {@link
 * NetworkRequest#closeConnection}, now or later (a request parked in a purgatory is finished by
 * whichever thread completes it).
 *
 * <p>A handler must not sleep or block on I/O other than the log. An exception escaping {@link
 * #handle} is logged with the api key and closes that request's connection only.
 */
@FunctionalInterface
public interface RequestHandler {
  void handle(NetworkRequest request);
}
