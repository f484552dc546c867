package io.rill.chaos.workload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The sends one client may have in flight at once, each under a history process of its own (a
 * process has at most one open operation, so a client with {@code n} unacknowledged sends acts
 * as {@code n} processes, as Jepsen's would). A send takes a free slot and gives it back when its
 * acknowledgement or error arrives. Thread-safe: taken by the client's thread, given back by the
 * producer's callback.
 */
final class SendSlots {
  private final BlockingQueue<String> free;

  SendSlots(List<String> processes) {
    free = new ArrayBlockingQueue<>(processes.size(), false, processes);
  }

  /**
   * A free slot's process, waiting up to {@code max} for a send to finish; null if none did
   * (the producer's delivery timeout is shorter, so that means it is stuck).
   */
  String take(Duration max) throws InterruptedException {
    return free.poll(max.toNanos(), TimeUnit.NANOSECONDS);
  }

  void release(String process) {
    free.add(process);
  }
}
