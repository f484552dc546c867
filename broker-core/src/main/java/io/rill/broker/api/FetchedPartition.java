package io.rill.broker.api;

import io.rill.broker.replica.PartitionRead;

/** One partition of a fetch and what was read from it for the response. */
record FetchedPartition(FetchPartition request, PartitionRead read) {}
