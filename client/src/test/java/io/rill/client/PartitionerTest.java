package io.rill.client;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Utils;

/** Keyed records land on the partition the official producer would choose. */
class PartitionerTest {
  @Property(tries = 500)
  void murmur2MatchesKafka(@ForAll byte[] key, @ForAll @IntRange(min = 1, max = 1000) int n) {
    assertThat(Partitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
    assertThat(Partitioner.partition(key, n)).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % n);
  }
}
