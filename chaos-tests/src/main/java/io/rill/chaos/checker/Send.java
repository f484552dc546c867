package io.rill.chaos.checker;

import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;

/**
 * One send operation: its invoke and its completion (the invoke again if the history ended
 * before it completed, which counts as indeterminate). {@code offset} is -1 unless it was
 * acknowledged with one.
 */
record Send(String process, int partition, long value, long offset, Op invoke, Op completion) {
  boolean acked() {
    return completion.type() == OpType.OK;
  }
}
