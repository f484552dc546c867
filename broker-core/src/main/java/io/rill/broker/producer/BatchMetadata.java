package io.rill.broker.producer;

/** Where one idempotent batch landed: its sequence range and offset range. */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset,
    long timestampMs) {}
