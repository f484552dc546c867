package io.rill.broker.api;

import io.rill.protocol.Errors;

/** A Kafka error with the message that goes with it in a response (Kafka's {@code ApiError}). */
record ApiError(Errors error, String message) {}
