package io.rill.chaos.cluster;

/** The machine cannot give nodes network namespaces; the message says why, plainly. */
public final class NetworkUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NetworkUnavailableException(String message) {
    super(message);
  }
}
