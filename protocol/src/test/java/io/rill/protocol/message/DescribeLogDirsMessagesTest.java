package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopicCollection;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.junit.jupiter.api.Test;

/**
 * DescribeLogDirs (key 35) v1-4 against messages built with kafka-clients' classes, so that the
 * meaning lines up and not only the layout ({@link MessageOracleTest} checks that): a null topic
 * list (every partition) stays null and differs from an empty one at every version; a populated
 * response encodes to Kafka's very bytes; the top-level ErrorCode exists from v3 and the
 * volume's TotalBytes and UsableBytes from v4, and a version without them decodes them as
 * Kafka's default, -1.
 */
class DescribeLogDirsMessagesTest {
  private static final short V1 = 1;
  private static final short V4 = 4;
  private static final String DIR = "/var/lib/rill/data";
  private static final long TOTAL = 500_000_000_000L;
  private static final long USABLE = 123_456_789_000L;

  @Test
  void nullTopicsMeansEveryPartitionAtEveryVersion() {
    for (short v = V1; v <= V4; v++) {
      Struct all = new Struct(DescribeLogDirsRequest.SCHEMA).set(DescribeLogDirsRequest.TOPICS,
          null);
      String kafka = hex(KafkaOracle.serialize(new DescribeLogDirsRequestData().setTopics(null),
          v));
      assertThat(oursHex(all, v, true)).as("v%s null", v).isEqualTo(kafka);
      assertThat(decode(kafka, v, true).get(DescribeLogDirsRequest.TOPICS)).as("v%s", v).isNull();

      Struct none = new Struct(DescribeLogDirsRequest.SCHEMA);
      assertThat(oursHex(none, v, true)).as("v%s empty", v).isNotEqualTo(kafka);
      assertThat(decode(oursHex(none, v, true), v, true).get(DescribeLogDirsRequest.TOPICS))
          .as("v%s empty", v).isEmpty();
    }
  }

  @Test
  void namedPartitionsMatchKafkas() {
    Struct ours = new Struct(DescribeLogDirsRequest.SCHEMA);
    ours.addElement(DescribeLogDirsRequest.TOPICS).set(DescribeLogDirsRequest.TOPIC, "orders")
        .set(DescribeLogDirsRequest.PARTITIONS, List.of(0, 2));
    DescribableLogDirTopicCollection topics = new DescribableLogDirTopicCollection();
    topics.add(new DescribableLogDirTopic().setTopic("orders").setPartitions(List.of(0, 2)));
    DescribeLogDirsRequestData theirs = new DescribeLogDirsRequestData().setTopics(topics);
    for (short v = V1; v <= V4; v++) {
      String kafka = hex(KafkaOracle.serialize(theirs, v));
      assertThat(oursHex(ours, v, true)).as("v%s", v).isEqualTo(kafka);
      assertThat(decode(kafka, v, true)).as("v%s decoded", v).isEqualTo(ours);
    }
  }

  @Test
  void responseEncodesToKafkasBytesAtEveryVersion() {
    for (short v = V1; v <= V4; v++) {
      String kafka = hex(KafkaOracle.serialize(kafkaResponse(), v));
      assertThat(oursHex(ourResponse(), v, false)).as("v%s", v).isEqualTo(kafka);
    }
  }

  @Test
  void v4CarriesTheVolumeSizes() {
    Struct r = decode(hex(KafkaOracle.serialize(kafkaResponse(), V4)), V4, false);
    assertThat(r.get(DescribeLogDirsResponse.ERROR_CODE)).isEqualTo(Errors.NONE.code);
    Struct online = r.get(DescribeLogDirsResponse.RESULTS).get(0);
    assertThat(online.get(DescribeLogDirsResponse.LOG_DIR)).isEqualTo(DIR);
    assertThat(online.getLong(DescribeLogDirsResponse.TOTAL_BYTES)).isEqualTo(TOTAL);
    assertThat(online.getLong(DescribeLogDirsResponse.USABLE_BYTES)).isEqualTo(USABLE);
    Struct partition = online.get(DescribeLogDirsResponse.TOPICS).get(0)
        .get(DescribeLogDirsResponse.PARTITIONS).get(1);
    assertThat(partition.getInt(DescribeLogDirsResponse.PARTITION_INDEX)).isEqualTo(2);
    assertThat(partition.getLong(DescribeLogDirsResponse.PARTITION_SIZE)).isEqualTo(4096L);
    assertThat(partition.getLong(DescribeLogDirsResponse.OFFSET_LAG)).isEqualTo(3L);
    assertThat(partition.get(DescribeLogDirsResponse.IS_FUTURE_KEY)).isFalse();
    Struct offline = r.get(DescribeLogDirsResponse.RESULTS).get(1);
    assertThat(offline.get(DescribeLogDirsResponse.RESULT_ERROR_CODE))
        .isEqualTo(Errors.KAFKA_STORAGE_ERROR.code);
  }

  @Test
  void beforeV4TheVolumeSizesAreUnknown() {
    for (short v = V1; v < V4; v++) {
      Struct r = decode(hex(KafkaOracle.serialize(kafkaResponse(), v)), v, false);
      Struct online = r.get(DescribeLogDirsResponse.RESULTS).get(0);
      assertThat(online.getLong(DescribeLogDirsResponse.TOTAL_BYTES)).as("v%s", v).isEqualTo(-1L);
      assertThat(online.getLong(DescribeLogDirsResponse.USABLE_BYTES)).as("v%s", v).isEqualTo(-1L);
      assertThat(online.get(DescribeLogDirsResponse.TOPICS)).as("v%s", v).hasSize(1);
    }
  }

  @Test
  void rillsCompactionFieldsRoundTripAndKafkaClientsReadTheRestAsUsual() {
    for (short v = 2; v <= V4; v++) {
      Struct ours = ourResponse();
      Struct partition = ours.get(DescribeLogDirsResponse.RESULTS).get(0)
          .get(DescribeLogDirsResponse.TOPICS).get(0).get(DescribeLogDirsResponse.PARTITIONS)
          .get(1).set(DescribeLogDirsResponse.RILL_CLEANABLE_RATIO, 0.25)
          .set(DescribeLogDirsResponse.RILL_LAST_CLEANING_MS, 1_764_000_000_000L)
          .set(DescribeLogDirsResponse.RILL_UNCLEANABLE, true);
      ByteBuffer bytes = ApiMessages.encodeBody(ApiKey.DESCRIBE_LOG_DIRS, v, ours, false);

      assertThat(decode(hex(bytes), v, false).get(DescribeLogDirsResponse.RESULTS).get(0)
          .get(DescribeLogDirsResponse.TOPICS).get(0).get(DescribeLogDirsResponse.PARTITIONS)
          .get(1)).as("v%s decoded by Rill", v).isEqualTo(partition);
      DescribeLogDirsResponseData theirs = (DescribeLogDirsResponseData) KafkaOracle.parse(
          DescribeLogDirsResponseData.class, bytes.duplicate(), v);
      DescribeLogDirsPartition read = theirs.results().get(0).topics().get(0).partitions().get(1);
      assertThat(read.partitionIndex()).isEqualTo(2);
      assertThat(read.partitionSize()).isEqualTo(4096L);
      assertThat(read.offsetLag()).isEqualTo(3L);
      assertThat(KafkaOracle.unknownTags(theirs)).as("v%s: kept aside as unknown tags", v)
          .hasSize(1);
    }
    // Before v2 (not flexible) there are no tagged fields: nothing of Rill's is written.
    Struct plain = decode(hex(ApiMessages.encodeBody(ApiKey.DESCRIBE_LOG_DIRS, V1,
        ourResponse(), false)), V1, false);
    assertThat(plain.get(DescribeLogDirsResponse.RESULTS).get(0)
        .get(DescribeLogDirsResponse.TOPICS).get(0).get(DescribeLogDirsResponse.PARTITIONS).get(1)
        .get(DescribeLogDirsResponse.RILL_CLEANABLE_RATIO)).isEqualTo(-1.0);
  }

  // ---------------------------------------------------------------- samples

  /** One online dir with two partitions of one topic, one offline dir. */
  private static Struct ourResponse() {
    Struct r = new Struct(DescribeLogDirsResponse.SCHEMA)
        .set(DescribeLogDirsResponse.ERROR_CODE, Errors.NONE.code);
    Struct online = r.addElement(DescribeLogDirsResponse.RESULTS)
        .set(DescribeLogDirsResponse.LOG_DIR, DIR)
        .set(DescribeLogDirsResponse.TOTAL_BYTES, TOTAL)
        .set(DescribeLogDirsResponse.USABLE_BYTES, USABLE);
    Struct topic = online.addElement(DescribeLogDirsResponse.TOPICS)
        .set(DescribeLogDirsResponse.TOPIC_NAME, "orders");
    topic.addElement(DescribeLogDirsResponse.PARTITIONS)
        .set(DescribeLogDirsResponse.PARTITION_INDEX, 0)
        .set(DescribeLogDirsResponse.PARTITION_SIZE, 0L);
    topic.addElement(DescribeLogDirsResponse.PARTITIONS)
        .set(DescribeLogDirsResponse.PARTITION_INDEX, 2)
        .set(DescribeLogDirsResponse.PARTITION_SIZE, 4096L)
        .set(DescribeLogDirsResponse.OFFSET_LAG, 3L);
    r.addElement(DescribeLogDirsResponse.RESULTS)
        .set(DescribeLogDirsResponse.RESULT_ERROR_CODE, Errors.KAFKA_STORAGE_ERROR.code)
        .set(DescribeLogDirsResponse.LOG_DIR, "/mnt/failed");
    return r;
  }

  /** The same with kafka-clients (TotalBytes and UsableBytes are ignorable: dropped before v4). */
  private static DescribeLogDirsResponseData kafkaResponse() {
    DescribeLogDirsResult online = new DescribeLogDirsResult().setLogDir(DIR)
        .setTotalBytes(TOTAL).setUsableBytes(USABLE)
        .setTopics(List.of(new DescribeLogDirsTopic().setName("orders").setPartitions(List.of(
            new DescribeLogDirsPartition().setPartitionIndex(0).setPartitionSize(0L),
            new DescribeLogDirsPartition().setPartitionIndex(2).setPartitionSize(4096L)
                .setOffsetLag(3L)))));
    DescribeLogDirsResult offline = new DescribeLogDirsResult()
        .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code).setLogDir("/mnt/failed");
    return new DescribeLogDirsResponseData().setResults(List.of(online, offline));
  }

  // ---------------------------------------------------------------- helpers

  private static String oursHex(Struct body, short version, boolean request) {
    return hex(ApiMessages.encodeBody(ApiKey.DESCRIBE_LOG_DIRS, version, body, request));
  }

  private static Struct decode(String hex, short version, boolean request) {
    WireReader in = new WireReader(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
    return request ? ApiMessages.decodeRequest(ApiKey.DESCRIBE_LOG_DIRS, version, in)
        : ApiMessages.decodeResponse(ApiKey.DESCRIBE_LOG_DIRS, version, in);
  }

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
