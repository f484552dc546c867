package io.rill.broker.api;

import io.rill.broker.metadata.MetadataCache;
import io.rill.metadata.ControllerChannel;
import io.rill.metadata.ControllerException;
import io.rill.protocol.Errors;
import io.rill.protocol.schema.Struct;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an admin request when its metadata-quorum command completes, so that no handler
 * thread ever waits on the quorum. The answer is sent from the thread that completes the
 * future (a quorum thread, or the timeout thread); building it must not block.
 *
 * <p>A command that was not decided (not the controller, not committed in time, shutting down)
 * becomes one error for the whole request, as Kafka's ControllerApis does: NOT_CONTROLLER and
 * REQUEST_TIMED_OUT are retriable, so the Admin client retries them.
 */
final class QuorumReplies {
  private static final Logger log = LoggerFactory.getLogger(QuorumReplies.class);

  /** The wait for APIs whose requests carry no timeout (AlterConfigs, IncrementalAlterConfigs). */
  static final int ADMIN_TIMEOUT_MS = 30_000;
  /** The longest a request may ask us to wait for the quorum (Kafka's admin default is 60 s). */
  static final int TIMEOUT_MS_MAX = 300_000;

  /**
   * The longest an admin answer waits for this broker's own image to show the command's effect
   * (read-your-writes for the client that asked); past it the answer goes out anyway.
   */
  static final long APPLIED_WAIT_MS = 2_000;

  private QuorumReplies() {}

  /**
   * The response of a decided command, once this broker's image has reached the command's
   * offset (or after {@link #APPLIED_WAIT_MS}), so the client that created a topic finds it
   * here at once.
   */
  static <T> CompletableFuture<T> applied(MetadataCache metadata,
      CompletableFuture<ControllerChannel.Answer<T>> command) {
    return command.thenCompose(a -> metadata.awaitOffset(a.metadataOffset())
        .completeOnTimeout(null, APPLIED_WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApply(image -> a.response()));
  }

  /** A request's timeoutMs as a bounded wait: non-positive values get the admin default. */
  static int boundedTimeoutMs(int requestedMs) {
    return requestedMs <= 0 ? ADMIN_TIMEOUT_MS : Math.min(requestedMs, TIMEOUT_MS_MAX);
  }

  /**
   * Responds with {@code onDecided(result)} once {@code command} completes, or with
   * {@code onFailure(failure)} if it fails or takes longer than {@code timeoutMs}.
   */
  static <T> void respondWhenDone(RequestContext ctx, CompletableFuture<T> command, int timeoutMs,
      Function<T, Struct> onDecided, Function<ApiError, Struct> onFailure) {
    command.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((result, error) -> {
      try {
        ctx.respond(error == null ? onDecided.apply(result) : onFailure.apply(failure(error)));
      } catch (RuntimeException e) {
        log.error("Failed to answer {}", ctx, e);
        if (!ctx.isFinished()) {
          answerOrClose(ctx, onFailure, new ApiError(Errors.UNKNOWN_SERVER_ERROR, e.toString()));
        }
      }
    });
  }

  /** The last resort: an error answer, or if even that fails, closing the connection. */
  private static void answerOrClose(RequestContext ctx, Function<ApiError, Struct> onFailure,
      ApiError error) {
    try {
      ctx.respond(onFailure.apply(error));
    } catch (RuntimeException e) {
      log.error("Closing the connection of {}: no error response could be built", ctx, e);
      ctx.closeConnection();
    }
  }

  static ApiError failure(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ControllerException ce) {
      return new ApiError(ce.error(), ce.getMessage());
    }
    if (cause instanceof TimeoutException) {
      return new ApiError(Errors.REQUEST_TIMED_OUT,
          "The metadata quorum did not decide the request in time; it may still take effect.");
    }
    log.warn("Metadata quorum command failed unexpectedly", cause);
    return new ApiError(Errors.UNKNOWN_SERVER_ERROR, String.valueOf(cause));
  }
}
