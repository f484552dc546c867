package io.rill.broker.group;

/**
 * The classic group protocol's states, with the names Kafka reports in DescribeGroups and
 * ListGroups (clients parse them into {@code ConsumerGroupState}).
 *
 * <pre>
 * Empty ──join──▶ PreparingRebalance ──all joined / rebalance timeout──▶ CompletingRebalance
 *   ▲                 ▲   │ (no member left)                                  │ leader's SyncGroup
 *   └─────────────────┼───┘                                                   ▼
 *                     └──────── join, leave, session expiry ──────────────  Stable
 * any ──delete / all offsets expired / coordinator unloaded──▶ Dead
 * </pre>
 */
public enum GroupState {
  EMPTY("Empty"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  STABLE("Stable"),
  DEAD("Dead");

  /** The name on the wire. */
  public final String wireName;

  GroupState(String wireName) {
    this.wireName = wireName;
  }

  /** The state with this wire name, ignoring case (ListGroups filters); null when unknown. */
  public static GroupState forWireName(String name) {
    for (GroupState s : values()) {
      if (s.wireName.equalsIgnoreCase(name)) {
        return s;
      }
    }
    return null;
  }
}
