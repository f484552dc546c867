package io.rill.client;

import io.rill.protocol.ApiKey;
import io.rill.protocol.Errors;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.message.ProduceResponse;
import io.rill.protocol.record.CompressionType;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.schema.Struct;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A producer like Kafka's: the caller appends records to an accumulator (one open batch per
 * partition, bounded in bytes); a sender thread drains batches that are full or older than the
 * linger time and sends them, one request per leader carrying one batch per partition.
 *
 * <p>Threads: {@link #send} and {@link #close} from the caller; the sender thread
 * ({@code rill-producer-sender}) owns the network. All accumulator state is guarded by
 * {@code lock}. The first non-retriable error stops the producer and is thrown from
 * {@link #send} or {@link #close}. Per partition order is kept: a retried batch goes back to the
 * head of its queue, and only one request is in flight. Like Kafka's producer, it asks the broker
 * to create a missing topic (which it does when {@code auto.create.topics.enable} allows).
 */
public final class Producer implements AutoCloseable {
  /** Kafka's default batch.size. */
  public static final int BATCH_BYTES_DEFAULT = 16 * 1024;
  /** Kafka's default linger.ms since 4.0 (KIP-1030). */
  public static final int LINGER_MS_DEFAULT = 5;
  /** Bound on buffered, unsent bytes (Kafka's buffer.memory). */
  static final long BUFFER_BYTES_MAX = 32L * 1024 * 1024;
  /** Attempts at a batch that keeps failing with retriable errors. */
  static final int ATTEMPTS_MAX = 10;

  /** Told when a batch is acknowledged: its records' append times and the ack time (nanos). */
  public interface AckListener {
    void acked(int records, int bytes, long[] appendNanos, int count, long ackNanos);
  }

  /** One open or sealed batch of a partition. */
  private static final class Batch {
    final int partition;
    final RecordBatchBuilder builder;
    final long createdMs;
    long[] appendNanos = new long[16];
    int records;
    int bytes;
    int attempts;
    java.nio.ByteBuffer built;

    Batch(int partition, RecordBatchBuilder builder, long createdMs) {
      this.partition = partition;
      this.builder = builder;
      this.createdMs = createdMs;
    }
  }

  private final KafkaClient client;
  private final String topic;
  private final CompressionType compression;
  private final short acks;
  private final int batchBytes;
  private final int lingerMs;
  private final AckListener listener;
  private final Object lock = new Object();
  private final Map<Integer, Deque<Batch>> queues = new TreeMap<>();
  private final Thread sender;
  private volatile TopicLayout layout;
  private long bufferedBytes;
  private int inFlightBatches;
  private boolean closing;
  private RuntimeException failure;
  private int stickyPartition = -1;
  private long sent;

  public Producer(KafkaClient client, String topic, CompressionType compression, short acks,
      int batchBytes, int lingerMs, AckListener listener) {
    this.client = client;
    this.topic = topic;
    this.compression = compression;
    this.acks = acks;
    this.batchBytes = batchBytes;
    this.lingerMs = lingerMs;
    this.listener = listener;
    this.layout = client.layout(topic, KafkaClient.TopicCreation.IF_BROKER_ALLOWS);
    this.sender = new Thread(this::runSender, "rill-producer-sender");
    sender.setDaemon(true);
    sender.start();
  }

  public int partitionCount() {
    return layout.partitionCount();
  }

  /** Appends one record; blocks while the buffer is full. {@code partition} -1 = choose. */
  public void send(int partition, byte[] key, byte[] value) throws InterruptedException {
    int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + 32;
    synchronized (lock) {
      while (failure == null && bufferedBytes + size > BUFFER_BYTES_MAX && bufferedBytes > 0) {
        lock.wait();
      }
      throwIfFailed();
      int p = partition >= 0 ? partition : choose(key);
      layout.leader(p); // refuses an unknown partition up front
      Deque<Batch> q = queues.computeIfAbsent(p, k -> new ArrayDeque<>());
      Batch b = q.peekLast();
      long now = System.nanoTime();
      if (b == null || b.built != null || !b.builder.tryAppend(System.currentTimeMillis(), key, value)) {
        if (b != null && partition < 0 && key == null) {
          // Sticky partitioning (KIP-480): move on when a batch fills up.
          stickyPartition = -1;
          p = choose(null);
          q = queues.computeIfAbsent(p, k -> new ArrayDeque<>());
        }
        b = new Batch(p, new RecordBatchBuilder().compression(compression)
            .maxBatchBytes(Math.max(batchBytes, size + 128)), System.currentTimeMillis());
        if (!b.builder.tryAppend(System.currentTimeMillis(), key, value)) {
          throw new ClientException.Refused(Errors.MESSAGE_TOO_LARGE, "record of " + size + " bytes");
        }
        q.addLast(b);
        lock.notifyAll(); // the previous batch is now complete
      }
      if (b.records == b.appendNanos.length) {
        b.appendNanos = java.util.Arrays.copyOf(b.appendNanos, b.records * 2);
      }
      b.appendNanos[b.records++] = now;
      b.bytes += size;
      bufferedBytes += size;
    }
  }

  private int choose(byte[] key) {
    if (key != null) {
      return Partitioner.partition(key, layout.partitionCount());
    }
    if (stickyPartition < 0) {
      stickyPartition = (int) (sent++ % layout.partitionCount());
    }
    return stickyPartition;
  }

  /** Sends everything buffered, waits for the acks, stops the sender. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      throwIfFailed();
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  private void runSender() {
    try {
      while (true) {
        Map<Integer, List<Batch>> byLeader;
        synchronized (lock) {
          byLeader = drainReady();
          while (byLeader.isEmpty()) {
            if (closing && bufferedBytes == 0) {
              return;
            }
            lock.wait(Math.max(1, lingerMs));
            byLeader = drainReady();
          }
        }
        for (Map.Entry<Integer, List<Batch>> e : byLeader.entrySet()) {
          sendTo(e.getKey(), e.getValue());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new ClientException.Unreachable("producer interrupted", e));
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(RuntimeException e) {
    synchronized (lock) {
      if (failure == null) {
        failure = e;
      }
      closing = true;
      bufferedBytes = 0;
      queues.clear();
      lock.notifyAll();
    }
  }

  /** Takes the head batch of every partition that is complete, lingered long enough or closing. */
  private Map<Integer, List<Batch>> drainReady() {
    Map<Integer, List<Batch>> byLeader = new HashMap<>();
    long now = System.currentTimeMillis();
    for (Deque<Batch> q : queues.values()) {
      Batch b = q.peekFirst();
      if (b == null) {
        continue;
      }
      boolean ready = q.size() > 1 || closing || now - b.createdMs >= lingerMs
          || b.builder.uncompressedSizeInBytes() >= batchBytes;
      if (ready) {
        q.pollFirst();
        if (b.built == null) {
          b.built = b.builder.build();
        }
        byLeader.computeIfAbsent(layout.leader(b.partition), k -> new ArrayList<>()).add(b);
        inFlightBatches++;
      }
    }
    return byLeader;
  }

  private void sendTo(int leader, List<Batch> batches) {
    Struct req = new Struct(ProduceRequest.SCHEMA);
    req.set(ProduceRequest.TRANSACTIONAL_ID, null);
    req.set(ProduceRequest.ACKS, acks);
    req.set(ProduceRequest.TIMEOUT_MS, client.config().timeoutMs());
    Struct t = req.addElement(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TOPIC_NAME, topic);
    Map<Integer, Batch> byPartition = new HashMap<>();
    for (Batch b : batches) {
      t.addElement(ProduceRequest.PARTITION_DATA)
          .set(ProduceRequest.PARTITION_INDEX, b.partition)
          .set(ProduceRequest.RECORDS, b.built.duplicate());
      byPartition.put(b.partition, b);
    }
    BrokerConnection c = client.node(leader);
    if (acks == 0) {
      c.sendNoResponse(ApiKey.PRODUCE, req);
      long now = System.nanoTime();
      batches.forEach(b -> done(b, now));
      return;
    }
    Struct resp = c.send(ApiKey.PRODUCE, req);
    long now = System.nanoTime();
    boolean refresh = false;
    for (Struct rt : resp.get(ProduceResponse.RESPONSES)) {
      for (Struct rp : rt.get(ProduceResponse.PARTITION_RESPONSES)) {
        Batch b = byPartition.remove(rp.get(ProduceResponse.PARTITION_INDEX));
        if (b == null) {
          continue;
        }
        Errors error = Errors.forCode(rp.get(ProduceResponse.ERROR_CODE));
        if (error == Errors.NONE) {
          done(b, now);
        } else if (error.retriable && ++b.attempts < ATTEMPTS_MAX) {
          refresh = true;
          retry(b);
        } else {
          throw new ClientException.Refused(error, "produce to " + topic + "-" + b.partition
              + (rp.get(ProduceResponse.ERROR_MESSAGE) == null ? ""
                  : ": " + rp.get(ProduceResponse.ERROR_MESSAGE)));
        }
      }
    }
    if (!byPartition.isEmpty()) {
      throw new ClientException.Refused(Errors.UNKNOWN_SERVER_ERROR,
          "no produce response for partitions " + byPartition.keySet());
    }
    if (refresh) {
      layout = client.layout(topic, KafkaClient.TopicCreation.IF_BROKER_ALLOWS);
    }
  }

  private void retry(Batch b) {
    synchronized (lock) {
      inFlightBatches--;
      queues.get(b.partition).addFirst(b);
    }
  }

  private void done(Batch b, long ackNanos) {
    if (listener != null) {
      listener.acked(b.records, b.bytes, b.appendNanos, b.records, ackNanos);
    }
    synchronized (lock) {
      inFlightBatches--;
      bufferedBytes -= b.bytes;
      lock.notifyAll();
    }
  }
}
