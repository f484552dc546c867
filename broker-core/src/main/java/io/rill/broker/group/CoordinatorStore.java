package io.rill.broker.group;

import io.rill.protocol.Errors;
import java.util.List;

/**
 * Where one coordinator persists its records: its {@code __consumer_offsets} partition. An
 * append is all-or-nothing (one batch) and returns NONE once the records are durable as the
 * partition's settings define; the coordinator applies them to memory only after that, so
 * memory never runs ahead of the log.
 *
 * <p>Called with the coordinator's lock held, which keeps log order equal to apply order.
 */
@FunctionalInterface
public interface CoordinatorStore {
  Errors append(List<CoordinatorRecord> records);
}
