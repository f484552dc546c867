package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.FetchResponse;
import io.rill.protocol.record.Header;
import io.rill.protocol.record.Record;
import io.rill.protocol.record.RecordBatch;
import io.rill.protocol.record.RecordBatches;
import io.rill.protocol.record.RecordIterator;
import io.rill.protocol.schema.Struct;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fetches one topic's assigned partitions from their leaders, from positions the caller sets,
 * and turns batches into {@link ConsumedRecord}s. Control batches (transaction markers) are
 * skipped; records before the fetch position (the head of a compressed batch) are dropped.
 *
 * <p>Positions are advanced by {@link #poll} past what it returns. Single-threaded.
 */
public final class Fetcher {
  /** How long the broker may hold a fetch waiting for data. */
  static final int FETCH_MAX_WAIT_MS = 500;
  /** Kafka's defaults: fetch.max.bytes and max.partition.fetch.bytes. */
  static final int FETCH_BYTES_MAX = 50 * 1024 * 1024;
  static final int PARTITION_FETCH_BYTES_MAX = 1024 * 1024;

  /** One consumed record, decoded. */
  public record ConsumedRecord(String topic, int partition, long offset, long timestamp,
      byte[] key, byte[] value, List<Header> headers) {}

  private final KafkaClient client;
  private final String topic;
  private TopicLayout layout;
  private final Map<Integer, Long> positions = new TreeMap<>();
  private final boolean resetToEarliest;

  public Fetcher(KafkaClient client, String topic, boolean resetToEarliest) {
    this.client = client;
    this.topic = topic;
    this.resetToEarliest = resetToEarliest;
    this.layout = client.layout(topic);
  }

  public TopicLayout layout() {
    return layout;
  }

  public void assign(Map<Integer, Long> newPositions) {
    positions.clear();
    positions.putAll(newPositions);
  }

  public Map<Integer, Long> positions() {
    return new TreeMap<>(positions);
  }

  /** Fetches once from every leader of an assigned partition; may return nothing. */
  public List<ConsumedRecord> poll() {
    List<ConsumedRecord> out = new ArrayList<>();
    if (positions.isEmpty()) {
      return out;
    }
    Map<Integer, List<Integer>> byLeader = new TreeMap<>();
    for (int p : positions.keySet()) {
      byLeader.computeIfAbsent(layout.leader(p), k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<Integer, List<Integer>> e : byLeader.entrySet()) {
      fetchFrom(e.getKey(), e.getValue(), out);
    }
    return out;
  }

  private void fetchFrom(int leader, List<Integer> partitions, List<ConsumedRecord> out) {
    Struct req = new Struct(FetchRequest.SCHEMA);
    req.set(FetchRequest.MAX_WAIT_MS, FETCH_MAX_WAIT_MS);
    req.set(FetchRequest.MIN_BYTES, 1);
    req.set(FetchRequest.MAX_BYTES, FETCH_BYTES_MAX);
    Struct t = req.addElement(FetchRequest.TOPICS).set(FetchRequest.TOPIC, topic);
    for (int p : partitions) {
      t.addElement(FetchRequest.PARTITIONS)
          .set(FetchRequest.PARTITION, p)
          .set(FetchRequest.FETCH_OFFSET, positions.get(p))
          .set(FetchRequest.PARTITION_MAX_BYTES, PARTITION_FETCH_BYTES_MAX);
    }
    Struct resp = client.node(leader).send(ApiKey.FETCH, req);
    ClientException.check(resp.get(FetchResponse.ERROR_CODE), null, "fetch from " + topic);
    Map<Integer, Long> reset = new HashMap<>();
    boolean refresh = false;
    for (Struct rt : resp.get(FetchResponse.RESPONSES)) {
      for (Struct rp : rt.get(FetchResponse.PARTITIONS)) {
        int p = rp.get(FetchResponse.PARTITION_INDEX);
        Errors error = Errors.forCode(rp.get(FetchResponse.PARTITION_ERROR_CODE));
        if (error == Errors.OFFSET_OUT_OF_RANGE) {
          reset.put(p, resetToEarliest ? KafkaClient.EARLIEST : KafkaClient.LATEST);
          continue;
        }
        if (error.retriable) {
          refresh = true;
          continue;
        }
        ClientException.check(error.code, null, "fetch " + topic + "-" + p);
        Object records = rp.get(FetchResponse.RECORDS);
        if (records instanceof ByteBuffer buf) {
          read(p, buf, out);
        }
      }
    }
    for (Map.Entry<Integer, Long> e : reset.entrySet()) {
      positions.put(e.getKey(), client.listOffsets(layout, List.of(e.getKey()), e.getValue())
          .get(e.getKey()));
    }
    if (refresh) {
      layout = client.layout(topic);
    }
  }

  private void read(int partition, ByteBuffer buf, List<ConsumedRecord> out) {
    long position = positions.get(partition);
    for (RecordBatch batch : RecordBatches.of(buf.slice())) {
      if (batch.nextOffset() <= position) {
        continue;
      }
      if (!batch.isControl()) {
        try (RecordIterator it = batch.records()) {
          while (it.hasNext()) {
            Record r = it.next();
            if (r.offset() < position) {
              continue;
            }
            out.add(new ConsumedRecord(topic, partition, r.offset(), r.timestamp(),
                bytes(r.hasKey() ? r.key() : null), bytes(r.hasValue() ? r.value() : null),
                r.headers()));
          }
        }
      }
      position = batch.nextOffset();
    }
    positions.put(partition, position);
  }

  private static byte[] bytes(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }
}
