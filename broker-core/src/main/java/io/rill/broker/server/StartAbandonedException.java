package io.rill.broker.server;

/**
 * {@link RillNode#start} gave up because {@link RillNode#close} was called meanwhile (SIGTERM
 * during start-up). Whatever had started is closed again before this is thrown.
 */
public final class StartAbandonedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StartAbandonedException(String message) {
    super(message);
  }
}
