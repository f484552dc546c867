package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.NodeCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.message.DescribeQuorumResponseData.TopicData;
import org.junit.jupiter.api.Test;

/**
 * DescribeQuorum (key 55) v0-2 against messages built with kafka-clients' own classes, so that
 * not only the layout (which {@link MessageOracleTest} checks with random values) but the
 * meaning of each field lines up: our LeaderId is Kafka's leaderId, our voters Kafka's voters.
 * At every version a populated response encodes to Kafka's very bytes and decodes back to the
 * same values, and what a version lacks decodes to Kafka's default: -1 timestamps before v1
 * (KIP-836); no error messages, directory ids or nodes before v2 (KIP-853).
 */
class DescribeQuorumMessagesTest {
  private static final short V0 = 0;
  private static final short V1 = 1;
  private static final short V2 = 2;
  private static final UUID DIR_1 = new UUID(0x1111, 1);
  private static final UUID DIR_2 = new UUID(0x2222, 2);
  private static final UUID DIR_4 = new UUID(0x4444, 4);

  /** KIP-836 and KIP-853 changed only the response: the request's bytes are the same. */
  @Test
  void requestIsTheSameAtEveryVersionAndMatchesKafkas() {
    Struct ours = new Struct(DescribeQuorumRequest.SCHEMA);
    ours.addElement(DescribeQuorumRequest.TOPICS)
        .set(DescribeQuorumRequest.TOPIC_NAME, DescribeQuorumRequest.METADATA_TOPIC)
        .addElement(DescribeQuorumRequest.PARTITIONS)
        .set(DescribeQuorumRequest.PARTITION_INDEX, 0);
    DescribeQuorumRequestData theirs = org.apache.kafka.common.requests.DescribeQuorumRequest
        .singletonRequest(new TopicPartition(DescribeQuorumRequest.METADATA_TOPIC, 0));
    String v0 = hex(KafkaOracle.serialize(theirs, V0));
    for (short v = V0; v <= V2; v++) {
      String kafka = hex(KafkaOracle.serialize(theirs, v));
      assertThat(kafka).as("Kafka's v%s", v).isEqualTo(v0);
      assertThat(oursHex(ours, v, true)).as("ours v%s", v).isEqualTo(kafka);
      assertThat(decode(kafka, v, true)).as("decoded v%s", v).isEqualTo(ours);
    }
  }

  @Test
  void responseEncodesToKafkasBytesAtEveryVersion() {
    for (short v = V0; v <= V2; v++) {
      String kafka = hex(KafkaOracle.serialize(kafkaResponse(v), v));
      assertThat(oursHex(ourResponse(), v, false)).as("v%s", v).isEqualTo(kafka);
    }
  }

  @Test
  void v2CarriesEveryField() {
    Struct r = roundTrip(V2);
    assertThat(r.get(DescribeQuorumResponse.ERROR_MESSAGE)).isNull();
    Struct partition = onlyPartition(r);
    assertThat(partition.get(DescribeQuorumResponse.PARTITION_ERROR_MESSAGE)).isNull();
    assertThat(partition.getInt(DescribeQuorumResponse.PARTITION_LEADER_ID)).isEqualTo(2);
    assertThat(partition.getInt(DescribeQuorumResponse.PARTITION_LEADER_EPOCH)).isEqualTo(7);
    assertThat(partition.getLong(DescribeQuorumResponse.PARTITION_HIGH_WATERMARK))
        .isEqualTo(1234L);
    List<Struct> voters = partition.get(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS);
    assertThat(voters).extracting(s -> s.get(DescribeQuorumResponse.REPLICA_ID))
        .containsExactly(1, 2);
    assertThat(voters).extracting(s -> s.get(DescribeQuorumResponse.REPLICA_DIRECTORY_ID))
        .containsExactly(DIR_1, DIR_2);
    assertThat(voters).extracting(s -> s.get(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP))
        .containsExactly(1_700_000_000_100L, -1L);
    Struct observer = partition.get(DescribeQuorumResponse.PARTITION_OBSERVERS).get(0);
    assertThat(observer.getInt(DescribeQuorumResponse.REPLICA_ID)).isEqualTo(4);
    assertThat(observer.getLong(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP))
        .isEqualTo(1_700_000_000_050L);

    List<Struct> nodes = r.get(DescribeQuorumResponse.NODES);
    assertThat(nodes).extracting(n -> n.get(DescribeQuorumResponse.NODE_ID))
        .containsExactly(1, 2);
    Struct listener = nodes.get(1).get(DescribeQuorumResponse.NODE_LISTENERS).get(0);
    assertThat(listener.get(DescribeQuorumResponse.LISTENER_NAME)).isEqualTo("CONTROLLER");
    assertThat(listener.get(DescribeQuorumResponse.LISTENER_HOST)).isEqualTo("127.0.0.1");
    // above Short.MAX_VALUE: the port is a uint16
    assertThat(listener.getInt(DescribeQuorumResponse.LISTENER_PORT)).isEqualTo(65_001);
  }

  @Test
  void v1HasTimestampsButNoDirectoryIdsNodesOrMessages() {
    Struct r = roundTrip(V1);
    assertThat(r.get(DescribeQuorumResponse.ERROR_MESSAGE)).isEqualTo("");
    assertThat(r.get(DescribeQuorumResponse.NODES)).isEmpty();
    Struct partition = onlyPartition(r);
    assertThat(partition.get(DescribeQuorumResponse.PARTITION_ERROR_MESSAGE)).isEqualTo("");
    Struct voter = partition.get(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS).get(0);
    assertThat(voter.get(DescribeQuorumResponse.REPLICA_DIRECTORY_ID)).isEqualTo(new UUID(0, 0));
    assertThat(voter.getLong(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP))
        .isEqualTo(1_700_000_000_100L);
    assertThat(voter.getLong(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP))
        .isEqualTo(1_700_000_000_090L);
  }

  @Test
  void v0ReplicaTimestampsDecodeAsUnknown() {
    Struct partition = onlyPartition(roundTrip(V0));
    assertThat(partition.getInt(DescribeQuorumResponse.PARTITION_LEADER_ID)).isEqualTo(2);
    for (Struct replica : List.of(
        partition.get(DescribeQuorumResponse.PARTITION_CURRENT_VOTERS).get(0),
        partition.get(DescribeQuorumResponse.PARTITION_OBSERVERS).get(0))) {
      assertThat(replica.getLong(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET)).isPositive();
      assertThat(replica.getLong(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP))
          .isEqualTo(DescribeQuorumResponse.UNKNOWN);
      assertThat(replica.getLong(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP))
          .isEqualTo(DescribeQuorumResponse.UNKNOWN);
    }
  }

  // ---------------------------------------------------------------- samples

  /** Our response with every field of v2 set; lower versions drop what they lack. */
  private static Struct ourResponse() {
    Struct r = new Struct(DescribeQuorumResponse.SCHEMA)
        .set(DescribeQuorumResponse.ERROR_MESSAGE, null);
    Struct partition = r.addElement(DescribeQuorumResponse.TOPICS)
        .set(DescribeQuorumResponse.TOPIC_NAME, DescribeQuorumRequest.METADATA_TOPIC)
        .addElement(DescribeQuorumResponse.TOPIC_PARTITIONS)
        .set(DescribeQuorumResponse.PARTITION_ERROR_MESSAGE, null)
        .set(DescribeQuorumResponse.PARTITION_LEADER_ID, 2)
        .set(DescribeQuorumResponse.PARTITION_LEADER_EPOCH, 7)
        .set(DescribeQuorumResponse.PARTITION_HIGH_WATERMARK, 1234L);
    replica(partition, DescribeQuorumResponse.PARTITION_CURRENT_VOTERS, 1, DIR_1, 1230,
        1_700_000_000_100L, 1_700_000_000_090L);
    replica(partition, DescribeQuorumResponse.PARTITION_CURRENT_VOTERS, 2, DIR_2, 1240,
        -1L, 1_700_000_000_200L);
    replica(partition, DescribeQuorumResponse.PARTITION_OBSERVERS, 4, DIR_4, 1100,
        1_700_000_000_060L, 1_700_000_000_050L);
    for (int id = 1; id <= 2; id++) {
      r.addElement(DescribeQuorumResponse.NODES).set(DescribeQuorumResponse.NODE_ID, id)
          .addElement(DescribeQuorumResponse.NODE_LISTENERS)
          .set(DescribeQuorumResponse.LISTENER_NAME, "CONTROLLER")
          .set(DescribeQuorumResponse.LISTENER_HOST, "127.0.0.1")
          .set(DescribeQuorumResponse.LISTENER_PORT, 64_999 + id);
    }
    return r;
  }

  private static void replica(Struct partition, Field<List<Struct>> list,
      int id, UUID dir, long logEndOffset, long lastFetch, long lastCaughtUp) {
    partition.addElement(list)
        .set(DescribeQuorumResponse.REPLICA_ID, id)
        .set(DescribeQuorumResponse.REPLICA_DIRECTORY_ID, dir)
        .set(DescribeQuorumResponse.REPLICA_LOG_END_OFFSET, logEndOffset)
        .set(DescribeQuorumResponse.REPLICA_LAST_FETCH_TIMESTAMP, lastFetch)
        .set(DescribeQuorumResponse.REPLICA_LAST_CAUGHT_UP_TIMESTAMP, lastCaughtUp);
  }

  /**
   * The same response built with kafka-clients. Fields Kafka marks ignorable are set at every
   * version (its writer drops them); the others only where the version has them, as a Kafka
   * broker would (its writer refuses them elsewhere).
   */
  private static DescribeQuorumResponseData kafkaResponse(short version) {
    boolean v2 = version >= V2;
    PartitionData partition = new PartitionData().setPartitionIndex(0).setErrorMessage(null)
        .setLeaderId(2).setLeaderEpoch(7).setHighWatermark(1234L)
        .setCurrentVoters(List.of(
            kafkaReplica(1, v2 ? DIR_1 : null, 1230, 1_700_000_000_100L, 1_700_000_000_090L),
            kafkaReplica(2, v2 ? DIR_2 : null, 1240, -1L, 1_700_000_000_200L)))
        .setObservers(List.of(
            kafkaReplica(4, v2 ? DIR_4 : null, 1100, 1_700_000_000_060L, 1_700_000_000_050L)));
    DescribeQuorumResponseData r = new DescribeQuorumResponseData().setErrorMessage(null)
        .setTopics(List.of(new TopicData().setTopicName(DescribeQuorumRequest.METADATA_TOPIC)
            .setPartitions(List.of(partition))));
    if (v2) {
      NodeCollection nodes = new NodeCollection();
      for (int id = 1; id <= 2; id++) {
        ListenerCollection listeners = new ListenerCollection();
        listeners.add(new Listener().setName("CONTROLLER").setHost("127.0.0.1")
            .setPort(64_999 + id));
        nodes.add(new Node().setNodeId(id).setListeners(listeners));
      }
      r.setNodes(nodes);
    }
    return r;
  }

  private static ReplicaState kafkaReplica(
      int id, UUID dir, long logEndOffset, long lastFetch, long lastCaughtUp) {
    ReplicaState s = new ReplicaState().setReplicaId(id).setLogEndOffset(logEndOffset)
        .setLastFetchTimestamp(lastFetch).setLastCaughtUpTimestamp(lastCaughtUp);
    if (dir != null) {
      s.setReplicaDirectoryId(
          new Uuid(dir.getMostSignificantBits(), dir.getLeastSignificantBits()));
    }
    return s;
  }

  // ---------------------------------------------------------------- helpers

  /** Kafka's bytes of the sample at {@code version}, decoded by us; the values must survive. */
  private static Struct roundTrip(short version) {
    return decode(hex(KafkaOracle.serialize(kafkaResponse(version), version)), version, false);
  }

  private static Struct onlyPartition(Struct response) {
    List<Struct> topics = response.get(DescribeQuorumResponse.TOPICS);
    assertThat(topics).hasSize(1);
    List<Struct> partitions = topics.get(0).get(DescribeQuorumResponse.TOPIC_PARTITIONS);
    assertThat(partitions).hasSize(1);
    return partitions.get(0);
  }

  private static String oursHex(Struct body, short version, boolean request) {
    return hex(ApiMessages.encodeBody(ApiKey.DESCRIBE_QUORUM, version, body, request));
  }

  private static Struct decode(String hex, short version, boolean request) {
    WireReader in = new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
    return request ? ApiMessages.decodeRequest(ApiKey.DESCRIBE_QUORUM, version, in)
        : ApiMessages.decodeResponse(ApiKey.DESCRIBE_QUORUM, version, in);
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
