package io.rill.benchmarks.protocol;

import io.rill.protocol.ApiKey;
import io.rill.protocol.header.RequestHeader;
import io.rill.protocol.message.ApiMessages;
import io.rill.protocol.message.FetchRequest;
import io.rill.protocol.message.ProduceRequest;
import io.rill.protocol.record.RecordBatchBuilder;
import io.rill.protocol.schema.Struct;
import io.rill.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the broker does with every request before any work: parse the header, decode the body.
 * A Produce v9 request (flexible) with one 16 KiB batch for one partition, the Java
 * producer's commonest shape, and a Fetch v12 request for 6 partitions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestParsingBenchmark {
  private ByteBuffer produceFrame;
  private ByteBuffer fetchFrame;

  @Setup
  public void setUp() {
    RecordBatchBuilder batch = new RecordBatchBuilder();
    byte[] value = new byte[1000];
    for (int i = 0; i < 16; i++) {
      batch.append(1_700_000_000_000L + i, ("key-" + i).getBytes(), value);
    }
    Struct produce = new Struct(ProduceRequest.SCHEMA).set(ProduceRequest.ACKS, (short) -1)
        .set(ProduceRequest.TIMEOUT_MS, 30000);
    produce.addElement(ProduceRequest.TOPIC_DATA).set(ProduceRequest.TOPIC_NAME, "orders")
        .addElement(ProduceRequest.PARTITION_DATA).set(ProduceRequest.PARTITION_INDEX, 3)
        .set(ProduceRequest.RECORDS, batch.build());
    produceFrame = ApiMessages.encodeRequest(ApiKey.PRODUCE, (short) 9, 42, "producer-1", produce)
        .toByteBuffer();

    Struct fetch = new Struct(FetchRequest.SCHEMA).set(FetchRequest.MAX_WAIT_MS, 500)
        .set(FetchRequest.MIN_BYTES, 1).set(FetchRequest.MAX_BYTES, 52428800);
    Struct topic = fetch.addElement(FetchRequest.TOPICS).set(FetchRequest.TOPIC, "orders");
    for (int p = 0; p < 6; p++) {
      topic.addElement(FetchRequest.PARTITIONS).set(FetchRequest.PARTITION, p)
          .set(FetchRequest.FETCH_OFFSET, 1_000_000L * p).set(FetchRequest.PARTITION_MAX_BYTES, 1048576);
    }
    fetchFrame = ApiMessages.encodeRequest(ApiKey.FETCH, (short) 12, 43, "consumer-1", fetch)
        .toByteBuffer();
  }

  @Benchmark
  public RequestHeader produceHeader() {
    return RequestHeader.read(new WireReader(produceFrame.duplicate()));
  }

  @Benchmark
  public Struct produceHeaderAndBody() {
    WireReader in = new WireReader(produceFrame.duplicate());
    RequestHeader header = RequestHeader.read(in);
    return ApiMessages.decodeRequest(ApiKey.PRODUCE, header.apiVersion(), in);
  }

  @Benchmark
  public Struct fetchHeaderAndBody() {
    WireReader in = new WireReader(fetchFrame.duplicate());
    RequestHeader header = RequestHeader.read(in);
    return ApiMessages.decodeRequest(ApiKey.FETCH, header.apiVersion(), in);
  }
}
