package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) on the wire: a session's first fetch is full, later ones
 * name only what changed and get only partitions with news, and every way of misusing a session
 * gets the error that makes a client start over. The official consumer uses sessions in every
 * other consumer test; this one pins down the exact responses.
 */
class FetchSessionIT {
  private static final short NAMES = 12;
  private static final short IDS = 13;
  private static final String TOPIC = "sessions";

  @TempDir static Path dir;
  private static TestNode node;
  private static KafkaProducer<String, String> producer;
  private static UUID topicId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), Map.of("max.incremental.fetch.session.cache.slots",
        "2"));
    try (Admin admin = Admin.create(node.clientProps())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
      topicId = topicId(admin);
    }
    producer = Clients.producer(node, new Properties());
  }

  private static UUID topicId(Admin admin) throws Exception {
    org.apache.kafka.common.Uuid id =
        admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
    return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  @AfterAll
  static void stop() {
    producer.close();
    node.close();
  }

  @Test
  void laterFetchesOfASessionCarryOnlyPartitionsWithNews() throws Exception {
    long[] end = {produce(0), 0, 0};
    try (RawClient raw = new RawClient(node.port())) {
      Struct first = raw.roundTrip(ApiKey.FETCH, NAMES, fetch(0, 0, NAMES,
          List.of(partition(0, 0), partition(1, 0), partition(2, 0)), List.of()));
      int session = first.getInt(FetchResponse.SESSION_ID);
      assertThat(session).as("a new session's id").isNotZero();
      assertThat(partitionsIn(first)).containsExactly(0, 1, 2);
      assertThat(recordBytes(first, 0)).isPositive();

      // Partition 0 moves on; nothing changed anywhere: an empty response.
      Struct quiet = raw.roundTrip(ApiKey.FETCH, NAMES,
          fetch(session, 1, NAMES, List.of(partition(0, end[0])), List.of()));
      assertThat(quiet.getShort(FetchResponse.ERROR_CODE)).isZero();
      assertThat(quiet.getInt(FetchResponse.SESSION_ID)).isEqualTo(session);
      assertThat(partitionsIn(quiet)).isEmpty();

      // New records in partition 2 only: the fetch names nothing, the response has partition 2.
      end[2] = produce(2);
      Struct news = raw.roundTrip(ApiKey.FETCH, NAMES, fetch(session, 2, NAMES, List.of(),
          List.of()));
      assertThat(partitionsIn(news)).containsExactly(2);
      assertThat(recordBytes(news, 2)).isPositive();
      assertThat(highWatermark(news, 2)).isEqualTo(end[2]);

      // Partition 2 forgotten: its next records are not sent, partition 1's are.
      Struct forget = raw.roundTrip(ApiKey.FETCH, NAMES,
          fetch(session, 3, NAMES, List.of(), List.of(2)));
      assertThat(partitionsIn(forget)).isEmpty();
      produce(2);
      end[1] = produce(1);
      Struct afterForget = raw.roundTrip(ApiKey.FETCH, NAMES,
          fetch(session, 4, NAMES, List.of(), List.of()));
      assertThat(partitionsIn(afterForget)).containsExactly(1);

      // The same epoch again (a replayed or duplicated request) is refused; the session lives.
      assertThat(raw.roundTrip(ApiKey.FETCH, NAMES, fetch(session, 4, NAMES, List.of(),
          List.of())).getShort(FetchResponse.ERROR_CODE))
          .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code);
      // Switching to topic ids within a session is refused.
      assertThat(raw.roundTrip(ApiKey.FETCH, IDS, fetch(session, 5, IDS, List.of(), List.of()))
          .getShort(FetchResponse.ERROR_CODE)).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR.code);
      // Partition 1 consumed up to its end: nothing new anywhere.
      assertThat(partitionsIn(raw.roundTrip(ApiKey.FETCH, NAMES,
          fetch(session, 5, NAMES, List.of(partition(1, end[1])), List.of())))).isEmpty();

      // Epoch -1 closes it: a full sessionless answer, then the id is unknown.
      Struct closing = raw.roundTrip(ApiKey.FETCH, NAMES,
          fetch(session, -1, NAMES, List.of(partition(0, 0)), List.of()));
      assertThat(closing.getInt(FetchResponse.SESSION_ID)).isZero();
      assertThat(partitionsIn(closing)).containsExactly(0);
      assertThat(raw.roundTrip(ApiKey.FETCH, NAMES, fetch(session, 6, NAMES, List.of(),
          List.of())).getShort(FetchResponse.ERROR_CODE))
          .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code);
    }
  }

  @Test
  void sessionsByTopicIdAndAFullCacheFallBackToSessionlessFetches() throws Exception {
    try (RawClient raw = new RawClient(node.port())) {
      List<Integer> opened = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Struct full = raw.roundTrip(ApiKey.FETCH, IDS,
            fetch(0, 0, IDS, List.of(partition(0, 0)), List.of()));
        assertThat(full.getShort(FetchResponse.ERROR_CODE)).isZero();
        assertThat(partitionsIn(full)).containsExactly(0);
        opened.add(full.getInt(FetchResponse.SESSION_ID));
      }
      // The cache holds two (max.incremental.fetch.session.cache.slots=2), none idle long
      // enough to evict; the third client is served without a session. (The other test's
      // session may hold a slot too, so at least the last one is refused.)
      assertThat(opened.get(2)).isZero();
      int session = opened.stream().filter(id -> id != 0).findFirst().orElseThrow();
      long end = produce(0);
      Struct news = raw.roundTrip(ApiKey.FETCH, IDS, fetch(session, 1, IDS, List.of(),
          List.of()));
      assertThat(partitionsIn(news)).containsExactly(0);
      assertThat(highWatermark(news, 0)).isEqualTo(end);
      assertThat(news.get(FetchResponse.RESPONSES).get(0).get(FetchResponse.TOPIC_ID))
          .isEqualTo(topicId);
      for (int id : opened) {
        if (id != 0) {
          raw.roundTrip(ApiKey.FETCH, IDS, fetch(id, -1, IDS, List.of(), List.of()));
        }
      }
    }
  }

  /** Produces one record to {@code partition}; returns the new end offset. */
  private static long produce(int partition) throws Exception {
    return producer.send(new ProducerRecord<>(TOPIC, partition, "k", "v")).get().offset() + 1;
  }

  private static Struct fetch(int session, int epoch, short version, List<long[]> partitions,
      List<Integer> forgotten) {
    Struct request = new Struct(FetchRequest.SCHEMA)
        .set(FetchRequest.MAX_WAIT_MS, 0).set(FetchRequest.MIN_BYTES, 0)
        .set(FetchRequest.MAX_BYTES, 1 << 20)
        .set(FetchRequest.SESSION_ID, session).set(FetchRequest.SESSION_EPOCH, epoch);
    if (!partitions.isEmpty()) {
      Struct topic = request.addElement(FetchRequest.TOPICS)
          .set(FetchRequest.TOPIC, version < IDS ? TOPIC : null)
          .set(FetchRequest.TOPIC_ID, version < IDS ? new UUID(0, 0) : topicId);
      for (long[] p : partitions) {
        topic.addElement(FetchRequest.PARTITIONS).set(FetchRequest.PARTITION, (int) p[0])
            .set(FetchRequest.FETCH_OFFSET, p[1]).set(FetchRequest.PARTITION_MAX_BYTES, 1 << 20);
      }
    }
    if (!forgotten.isEmpty()) {
      request.addElement(FetchRequest.FORGOTTEN_TOPICS_DATA)
          .set(FetchRequest.FORGOTTEN_TOPIC, version < IDS ? TOPIC : null)
          .set(FetchRequest.FORGOTTEN_TOPIC_ID, version < IDS ? new UUID(0, 0) : topicId)
          .set(FetchRequest.FORGOTTEN_PARTITIONS, forgotten);
    }
    return request;
  }

  private static long[] partition(int partition, long offset) {
    return new long[] {partition, offset};
  }

  private static List<Integer> partitionsIn(Struct response) {
    List<Integer> out = new ArrayList<>();
    for (Struct topic : response.get(FetchResponse.RESPONSES)) {
      for (Struct p : topic.get(FetchResponse.PARTITIONS)) {
        assertThat(p.getShort(FetchResponse.PARTITION_ERROR_CODE)).isZero();
        out.add(p.getInt(FetchResponse.PARTITION_INDEX));
      }
    }
    return out;
  }

  private static Struct partitionEntry(Struct response, int partition) {
    return response.get(FetchResponse.RESPONSES).stream()
        .flatMap(t -> t.get(FetchResponse.PARTITIONS).stream())
        .filter(p -> p.getInt(FetchResponse.PARTITION_INDEX) == partition).findFirst()
        .orElseThrow();
  }

  private static int recordBytes(Struct response, int partition) {
    Object records = partitionEntry(response, partition).get(FetchResponse.RECORDS);
    return records == null ? 0 : ((ByteBuffer) records).remaining();
  }

  private static long highWatermark(Struct response, int partition) {
    return partitionEntry(response, partition).getLong(FetchResponse.HIGH_WATERMARK);
  }
}
