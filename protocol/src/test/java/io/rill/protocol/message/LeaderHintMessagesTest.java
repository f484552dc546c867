package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.junit.jupiter.api.Test;

/**
 * KIP-951's leader hints on the wire, against messages built with kafka-clients' own classes: a
 * NOT_LEADER_OR_FOLLOWER partition's tagged CurrentLeader {LeaderId, LeaderEpoch} (Produce tag 0
 * from v10, Fetch tag 1 from v12) and the response's tagged NodeEndpoints {NodeId, Host, Port,
 * Rack} (tag 0; Produce from v10, Fetch from v16). At the versions that have them our bytes are
 * Kafka's and Kafka reads back the leader and endpoints we wrote; at the versions before, the
 * same response encodes to Kafka's bytes without them, so no older client ever sees a tag it
 * does not know.
 */
class LeaderHintMessagesTest {
  private static final int LEADER = 3;
  private static final int EPOCH = 17;
  private static final String HOST = "broker-3.example";
  private static final int PORT = 19_093;
  private static final String RACK = "rack-b";

  // ---- Produce ---------------------------------------------------------------------------

  @Test
  void produceV10To12CarryTheLeaderAndItsEndpoint() {
    for (short v = 10; v <= ApiKey.PRODUCE.advertised.highest(); v++) {
      String ours = oursHex(ApiKey.PRODUCE, ourProduceResponse(), v);
      assertThat(ours).as("v%s", v).isEqualTo(hex(KafkaOracle.serialize(kafkaProduce(v), v)));

      ProduceResponseData parsed = (ProduceResponseData) KafkaOracle.parse(
          ProduceResponseData.class, bytes(ours), v);
      ProduceResponseData.PartitionProduceResponse p =
          parsed.responses().iterator().next().partitionResponses().get(0);
      assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code);
      assertThat(p.currentLeader().leaderId()).as("v%s leader", v).isEqualTo(LEADER);
      assertThat(p.currentLeader().leaderEpoch()).as("v%s epoch", v).isEqualTo(EPOCH);
      ProduceResponseData.NodeEndpoint node = parsed.nodeEndpoints().find(LEADER);
      assertThat(node).as("v%s endpoint of %s", v, LEADER).isNotNull();
      assertThat(node.host()).isEqualTo(HOST);
      assertThat(node.port()).isEqualTo(PORT);
      assertThat(node.rack()).isEqualTo(RACK);

      Struct decoded = decode(ApiKey.PRODUCE, ours, v);
      assertThat(decoded).as("v%s decoded", v).isEqualTo(ourProduceResponse());
    }
  }

  @Test
  void produceBeforeV10CarriesNoHint() {
    for (short v = 3; v <= 9; v++) {
      String ours = oursHex(ApiKey.PRODUCE, ourProduceResponse(), v);
      assertThat(ours).as("v%s", v).isEqualTo(hex(KafkaOracle.serialize(kafkaProduce(v), v)));
      Struct decoded = decode(ApiKey.PRODUCE, ours, v);
      Struct partition = decoded.get(ProduceResponse.RESPONSES).get(0)
          .get(ProduceResponse.PARTITION_RESPONSES).get(0);
      assertThat(partition.get(ProduceResponse.CURRENT_LEADER).getInt(ProduceResponse.LEADER_ID))
          .as("v%s leader", v).isEqualTo(-1);
      assertThat(decoded.get(ProduceResponse.NODE_ENDPOINTS)).as("v%s endpoints", v).isEmpty();
    }
  }

  /** A rack-less leader: Rack is null on the wire (a compact string of length -1). */
  @Test
  void produceEndpointWithoutRack() {
    Struct response = ourProduceResponse();
    response.get(ProduceResponse.NODE_ENDPOINTS).get(0).set(ProduceResponse.NODE_RACK, null);
    short v = 12;
    ProduceResponseData parsed = (ProduceResponseData) KafkaOracle.parse(
        ProduceResponseData.class, bytes(oursHex(ApiKey.PRODUCE, response, v)), v);
    assertThat(parsed.nodeEndpoints().find(LEADER).rack()).isNull();
  }

  private static Struct ourProduceResponse() {
    Struct response = new Struct(ProduceResponse.SCHEMA);
    Struct partition = response.addElement(ProduceResponse.RESPONSES)
        .set(ProduceResponse.TOPIC_NAME, "t")
        .addElement(ProduceResponse.PARTITION_RESPONSES)
        .set(ProduceResponse.PARTITION_INDEX, 1)
        .set(ProduceResponse.ERROR_CODE, Errors.NOT_LEADER_OR_FOLLOWER.code)
        .set(ProduceResponse.BASE_OFFSET, -1L)
        .set(ProduceResponse.ERROR_MESSAGE, null);
    partition.get(ProduceResponse.CURRENT_LEADER)
        .set(ProduceResponse.LEADER_ID, LEADER)
        .set(ProduceResponse.LEADER_EPOCH, EPOCH);
    response.addElement(ProduceResponse.NODE_ENDPOINTS)
        .set(ProduceResponse.NODE_ID, LEADER)
        .set(ProduceResponse.NODE_HOST, HOST)
        .set(ProduceResponse.NODE_PORT, PORT)
        .set(ProduceResponse.NODE_RACK, RACK);
    return response;
  }

  /** The same response built with kafka-clients, with the hints only where the version has them. */
  private static ProduceResponseData kafkaProduce(short version) {
    ProduceResponseData.PartitionProduceResponse partition =
        new ProduceResponseData.PartitionProduceResponse().setIndex(1)
            .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code).setBaseOffset(-1L)
            .setErrorMessage(null);
    ProduceResponseData.TopicProduceResponseCollection topics =
        new ProduceResponseData.TopicProduceResponseCollection();
    topics.add(new ProduceResponseData.TopicProduceResponse().setName("t")
        .setPartitionResponses(List.of(partition)));
    ProduceResponseData r = new ProduceResponseData().setResponses(topics);
    if (version >= 10) {
      partition.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch()
          .setLeaderId(LEADER).setLeaderEpoch(EPOCH));
      ProduceResponseData.NodeEndpointCollection nodes =
          new ProduceResponseData.NodeEndpointCollection();
      nodes.add(new ProduceResponseData.NodeEndpoint().setNodeId(LEADER).setHost(HOST)
          .setPort(PORT).setRack(RACK));
      r.setNodeEndpoints(nodes);
    }
    return r;
  }

  // ---- Fetch -----------------------------------------------------------------------------

  @Test
  void fetchV16And17CarryTheLeaderAndItsEndpoint() {
    for (short v = 16; v <= ApiKey.FETCH.advertised.highest(); v++) {
      String ours = oursHex(ApiKey.FETCH, ourFetchResponse(v), v);
      assertThat(ours).as("v%s", v).isEqualTo(hex(KafkaOracle.serialize(kafkaFetch(v), v)));

      FetchResponseData parsed = (FetchResponseData) KafkaOracle.parse(
          FetchResponseData.class, bytes(ours), v);
      FetchResponseData.PartitionData p = parsed.responses().get(0).partitions().get(0);
      assertThat(p.errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code);
      assertThat(p.currentLeader().leaderId()).as("v%s leader", v).isEqualTo(LEADER);
      assertThat(p.currentLeader().leaderEpoch()).as("v%s epoch", v).isEqualTo(EPOCH);
      FetchResponseData.NodeEndpoint node = parsed.nodeEndpoints().find(LEADER);
      assertThat(node).as("v%s endpoint of %s", v, LEADER).isNotNull();
      assertThat(node.host()).isEqualTo(HOST);
      assertThat(node.port()).isEqualTo(PORT);
      assertThat(node.rack()).isEqualTo(RACK);

      assertThat(decode(ApiKey.FETCH, ours, v)).as("v%s decoded", v)
          .isEqualTo(ourFetchResponse(v));
    }
  }

  /** Before v16 there are no NodeEndpoints (Tansu once wrote them at v12: clients choke). */
  @Test
  void fetchBeforeV16CarriesNoEndpoints() {
    for (short v = 12; v <= 15; v++) {
      String ours = oursHex(ApiKey.FETCH, ourFetchResponse(v), v);
      assertThat(ours).as("v%s", v).isEqualTo(hex(KafkaOracle.serialize(kafkaFetch(v), v)));
      assertThat(decode(ApiKey.FETCH, ours, v).get(FetchResponse.NODE_ENDPOINTS))
          .as("v%s endpoints", v).isEmpty();
    }
  }

  /** Topics go by name until v12, by id (here the zero id) from v13. */
  private static Struct ourFetchResponse(short version) {
    Struct response = new Struct(FetchResponse.SCHEMA);
    Struct partition = response.addElement(FetchResponse.RESPONSES)
        .set(FetchResponse.TOPIC, version <= 12 ? "t" : "")
        .addElement(FetchResponse.PARTITIONS)
        .set(FetchResponse.PARTITION_INDEX, 1)
        .set(FetchResponse.PARTITION_ERROR_CODE, Errors.FENCED_LEADER_EPOCH.code)
        .set(FetchResponse.HIGH_WATERMARK, -1L)
        .set(FetchResponse.RECORDS, ByteBuffer.allocate(0));
    partition.get(FetchResponse.CURRENT_LEADER)
        .set(FetchResponse.LEADER_ID, LEADER)
        .set(FetchResponse.LEADER_EPOCH, EPOCH);
    response.addElement(FetchResponse.NODE_ENDPOINTS)
        .set(FetchResponse.NODE_ID, LEADER)
        .set(FetchResponse.NODE_HOST, HOST)
        .set(FetchResponse.NODE_PORT, PORT)
        .set(FetchResponse.NODE_RACK, RACK);
    return response;
  }

  /**
   * The same with kafka-clients: CurrentLeader (KIP-595's field) exists from v12, NodeEndpoints
   * from v16.
   */
  private static FetchResponseData kafkaFetch(short version) {
    FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
        .setPartitionIndex(1).setErrorCode(Errors.FENCED_LEADER_EPOCH.code)
        .setHighWatermark(-1L).setRecords(org.apache.kafka.common.record.MemoryRecords.EMPTY)
        .setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch()
            .setLeaderId(LEADER).setLeaderEpoch(EPOCH));
    FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
        .setPartitions(List.of(partition));
    if (version <= 12) {
      topic.setTopic("t");
    }
    FetchResponseData r = new FetchResponseData().setResponses(List.of(topic));
    if (version >= 16) {
      FetchResponseData.NodeEndpointCollection nodes =
          new FetchResponseData.NodeEndpointCollection();
      nodes.add(new FetchResponseData.NodeEndpoint().setNodeId(LEADER).setHost(HOST)
          .setPort(PORT).setRack(RACK));
      r.setNodeEndpoints(nodes);
    }
    return r;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static String oursHex(ApiKey api, Struct response, short version) {
    return hex(ApiMessages.encodeBody(api, version, response, false));
  }

  private static Struct decode(ApiKey api, String hex, short version) {
    return ApiMessages.decodeResponse(api, version, new WireReader(bytes(hex)));
  }

  private static ByteBuffer bytes(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
