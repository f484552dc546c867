package io.rill.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rill.protocol.Errors;
import io.rill.protocol.message.DescribeQuorumResponse;
import io.rill.protocol.schema.Struct;
import org.junit.jupiter.api.Test;

/** A DescribeQuorum answer read as the quorum of {@code __cluster_metadata-0}, errors as refusals. */
class QuorumTest {
  private static Struct partition(Struct response, String topic) {
    return response.addElement(DescribeQuorumResponse.TOPICS)
        .set(DescribeQuorumResponse.TOPIC_NAME, topic)
        .addElement(DescribeQuorumResponse.TOPIC_PARTITIONS)
        .set(DescribeQuorumResponse.PARTITION_INDEX, 0);
  }

  @Test
  void readsLeaderVotersAndObservers() {
    Struct resp = new Struct(DescribeQuorumResponse.SCHEMA);
    partition(resp, "some-other-log");
    Struct p = partition(resp, "__cluster_metadata")
        .set(DescribeQuorumResponse.PARTITION_LEADER_ID, 2)
        .set(DescribeQuorumResponse.PARTITION_LEADER_EPOCH, 5)
        .set(DescribeQuorumResponse.PARTITION_HIGH_WATERMARK, 40L);
    p.addElement(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS)
        .set(DescribeQuorumResponse.REPLICA_ID, 2)
        .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET, 41L);
    p.addElement(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS)
        .set(DescribeQuorumResponse.REPLICA_ID, 3)
        .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET, 39L)
        .set(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP, 1234L);
    p.addElement(DescribeQuorumResponse.PARTITION_OBSERVERS)
        .set(DescribeQuorumResponse.REPLICA_ID, 7)
        .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET, -1L);

    Quorum q = Quorum.parse(resp, "test");

    assertThat(q.leaderId()).isEqualTo(2);
    assertThat(q.leaderEpoch()).isEqualTo(5);
    assertThat(q.highWatermark()).isEqualTo(40L);
    // Timestamps a v0 answer lacks decode as Kafka's "unknown".
    assertThat(q.voters()).containsExactly(new Quorum.Replica(2, 41, -1, -1),
        new Quorum.Replica(3, 39, 1234, -1));
    assertThat(q.observers()).containsExactly(new Quorum.Replica(7, -1, -1, -1));
  }

  @Test
  void aPartitionErrorIsARefusal() {
    Struct resp = new Struct(DescribeQuorumResponse.SCHEMA);
    partition(resp, "__cluster_metadata")
        .set(DescribeQuorumResponse.PARTITION_ERROR_CODE, Errors.NOT_LEADER_OR_FOLLOWER.code);
    assertThatThrownBy(() -> Quorum.parse(resp, "test"))
        .isInstanceOf(ClientException.Refused.class).hasMessageContaining("NOT_LEADER_OR_FOLLOWER");
    assertThatThrownBy(() -> Quorum.parse(new Struct(DescribeQuorumResponse.SCHEMA), "test"))
        .isInstanceOf(ClientException.Refused.class).hasMessageContaining("__cluster_metadata-0");
  }
}
