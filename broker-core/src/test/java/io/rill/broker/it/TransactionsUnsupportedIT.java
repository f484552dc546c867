package io.rill.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Until Rill has transactions, transactional clients fail at once with a reason, rather than
 * retry for max.block.ms (the producer) or until their timeout (kafka-transactions describe,
 * which retried 228,659 times in 60 s): FindCoordinator(TRANSACTION) answers a non-retriable
 * error with a message (issue 15).
 */
class TransactionsUnsupportedIT {
  /** Far below the clients' own 60 s; a fast failure takes milliseconds. */
  private static final Duration FAST = Duration.ofSeconds(10);

  @Test
  void aTransactionalProducerFailsAtOnceSayingWhy(@TempDir Path dir) {
    try (TestNode node = TestNode.start(dir)) {
      Properties p = new Properties();
      p.put("transactional.id", "tx-1");
      p.put("max.block.ms", "60000");
      try (KafkaProducer<String, String> producer = Clients.producer(node, p)) {
        long start = System.nanoTime();
        assertThatThrownBy(producer::initTransactions).isInstanceOf(KafkaException.class)
            .hasMessageContaining("transactions");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("TransactionsUnsupportedIT: initTransactions failed in %d ms%n",
            took.toMillis());
        assertThat(took).isLessThan(FAST);
      }
    }
  }

  @Test
  void describeTransactionsFailsAtOnceWithANonRetriableError(@TempDir Path dir) {
    try (TestNode node = TestNode.start(dir);
        Admin admin = Admin.create(node.clientProps())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> admin.describeTransactions(java.util.List.of("tx-1"))
          .description("tx-1").get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          // The admin client does not show the broker's message, only the error's class.
          .satisfies(e -> assertThat(e.getCause()).isNotInstanceOf(RetriableException.class)
              .isInstanceOf(UnsupportedVersionException.class));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("TransactionsUnsupportedIT: describeTransactions failed in %d ms%n",
          took.toMillis());
      assertThat(took).isLessThan(FAST);
    }
  }
}
