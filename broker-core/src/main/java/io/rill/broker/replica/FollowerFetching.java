package io.rill.broker.replica;

import io.rill.broker.log.TopicPartition;

/**
 * The replica fetchers, as the replica layer drives them: fetch a partition from its leader in
 * a leader epoch, or stop fetching it. Implemented by {@code fetcher.ReplicaFetcherManager}.
 */
public interface FollowerFetching {
  /** Fetch {@code tp} from broker {@code leader}; a new epoch restarts its fetch state. */
  void follow(TopicPartition tp, int leader, int leaderEpoch);

  /** Stop fetching {@code tp} (this replica leads it now, has no leader, or is gone). */
  void stop(TopicPartition tp);

  FollowerFetching NONE = new FollowerFetching() {
    @Override
    public void follow(TopicPartition tp, int leader, int leaderEpoch) {}

    @Override
    public void stop(TopicPartition tp) {}
  };
}
