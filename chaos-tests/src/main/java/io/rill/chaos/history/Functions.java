package io.rill.chaos.history;

/**
 * The names of the client operations ({@code f}) the workload writes and the checker reads.
 * Nemesis operations are named {@code start-KIND} / {@code stop-KIND} (see the nemesis package).
 */
public final class Functions {
  /** Value {@code {"partition":K,"value":X}}; its ok adds {@code "offset":O}. */
  public static final String SEND = "send";
  /** Ok value {@code {"records":[{"partition":K,"offset":O,"value":X}, ...]}}. */
  public static final String POLL = "poll";
  /** Value {@code {"partitions":[K, ...]}}: the consumer now reads these, positions reset. */
  public static final String ASSIGN = "assign";
  /** Value {@code {"partitions":[K, ...]}}: group membership; a rebalance may move positions. */
  public static final String SUBSCRIBE = "subscribe";
  /** The client was torn down and will be rebuilt: its consumer's positions are gone. */
  public static final String CRASH = "crash";

  private Functions() {}
}
