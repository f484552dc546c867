package io.rill.protocol.record;

/** Lets tests in other packages reach the package-private test helpers. */
public final class TestRecordsAccess {
  private TestRecordsAccess() {}

  public static org.apache.kafka.common.compress.Compression kafkaCodec(CompressionType t) {
    return TestRecords.kafkaCodec(t);
  }
}
