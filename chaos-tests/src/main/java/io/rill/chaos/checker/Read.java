package io.rill.chaos.checker;

import io.rill.chaos.history.Op;

/** One record a poll returned: partition, offset, value, and the poll's completion. */
record Read(String process, int partition, long offset, long value, Op op) {}
