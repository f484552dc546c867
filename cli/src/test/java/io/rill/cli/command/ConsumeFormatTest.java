package io.rill.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.client.Fetcher.ConsumedRecord;
import io.rill.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kcat's format placeholders. */
class ConsumeFormatTest {
  static final ConsumedRecord R = new ConsumedRecord("orders", 2, 41, 1700000000000L,
      "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8),
      List.of(Header.of("h", "x".getBytes(StandardCharsets.UTF_8))));

  @Test
  void placeholdersAndEscapes() {
    assertThat(ConsumeCommand.format("%k\\t%v", R)).isEqualTo("k\tv");
    assertThat(ConsumeCommand.format("%t/%p@%o %T %s %K %S %h 100%%", R))
        .isEqualTo("orders/2@41 1700000000000 v 1 1 h=x 100%");
  }

  @Test
  void nullKeyPrintsNullAsKafkasConsoleConsumer() {
    ConsumedRecord r = new ConsumedRecord("t", 0, 0, 0, null, null, List.of());
    assertThat(ConsumeCommand.format("%k|%v|%K", r)).isEqualTo("null|null|-1");
  }
}
