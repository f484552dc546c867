package io.rill.protocol.record;

/** Bit 3 of a batch's attributes: who set the timestamps. */
public enum TimestampType {
  CREATE_TIME,
  LOG_APPEND_TIME
}
