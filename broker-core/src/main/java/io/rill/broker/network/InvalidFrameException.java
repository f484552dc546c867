package io.rill.broker.network;

import java.io.IOException;

/** A client announced a frame size we refuse; only its connection is closed. */
final class InvalidFrameException extends IOException {
  private static final long serialVersionUID = 1L;

  InvalidFrameException(String message) {
    super(message);
  }
}
