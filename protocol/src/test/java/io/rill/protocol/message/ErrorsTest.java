package io.rill.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.protocol.Errors;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our error table against kafka-clients 4.1's: the same code means the same error, and a client
 * retries exactly the errors we call retriable (Kafka: the error's exception is a
 * RetriableException). Lives with the message tests because it uses the same oracle jar.
 */
class ErrorsTest {

  @TestFactory
  Stream<DynamicTest> everyCodeHasKafkasNameAndRetriability() {
    return Stream.of(Errors.values()).map(ours -> DynamicTest.dynamicTest(ours.name(), () -> {
      org.apache.kafka.common.protocol.Errors theirs =
          org.apache.kafka.common.protocol.Errors.forCode(ours.code);
      assertThat(theirs.code()).as("kafka knows code %s", ours.code).isEqualTo(ours.code);
      assertThat(ours.name()).as("name of code %s", ours.code).isEqualTo(theirs.name());
      assertThat(ours.retriable).as("%s retriable", ours)
          .isEqualTo(theirs.exception() instanceof RetriableException);
      assertThat(Errors.forCode(ours.code)).isSameAs(ours);
    }));
  }

  /** No gaps: every Kafka code up to our highest is in our table. */
  @Test
  void everyKafkaCodeUpToOurHighestIsDefined() {
    int highest = Stream.of(Errors.values()).mapToInt(e -> e.code).max().orElseThrow();
    for (org.apache.kafka.common.protocol.Errors theirs
        : org.apache.kafka.common.protocol.Errors.values()) {
      if (theirs.code() <= highest) {
        assertThat(Errors.forCode(theirs.code()).name()).as("code %s", theirs.code())
            .isEqualTo(theirs.name());
      }
    }
  }

  @Test
  void unknownCodesMapToUnknownServerError() {
    assertThat(Errors.forCode(30_000)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    assertThat(Errors.forCode(-2)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
  }
}
