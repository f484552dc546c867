package io.rill.metadata.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.metadata.command.OffsetRecords;
import io.rill.metadata.record.MetadataRecord;
import io.rill.metadata.record.NoOpRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataJournalTest {
  private static final List<MetadataRecord> ONE =
      List.of(MetadataRecord.newBuilder().setNoOp(NoOpRecord.getDefaultInstance()).build());

  @Test
  void aFetchGetsExactlyTheEntriesAfterItsOffset() {
    MetadataJournal j = new MetadataJournal();
    j.reset(10);
    j.append(12, ONE);
    j.append(15, List.of());
    j.append(20, ONE);
    assertThat(j.since(10).orElseThrow()).extracting(OffsetRecords::getOffset)
        .containsExactly(12L, 15L, 20L);
    assertThat(j.since(15).orElseThrow()).extracting(OffsetRecords::getOffset)
        .containsExactly(20L);
    assertThat(j.since(20).orElseThrow()).isEmpty();
  }

  @Test
  void aFetchFromBeforeTheJournalOrAheadOfItMustTakeTheWholeImage() {
    MetadataJournal j = new MetadataJournal();
    j.reset(10);
    j.append(11, ONE);
    assertThat(j.since(9)).isEmpty();
    assertThat(j.since(12)).isEmpty();
  }

  @Test
  void theOldestEntriesFallOffAtTheBound() {
    MetadataJournal j = new MetadataJournal();
    j.reset(0);
    for (int i = 1; i <= MetadataJournal.ENTRIES_MAX + 5; i++) {
      j.append(i, ONE);
    }
    assertThat(j.since(4)).isEmpty();
    assertThat(j.since(5).orElseThrow()).hasSize(MetadataJournal.ENTRIES_PER_FETCH_MAX)
        .first().extracting(OffsetRecords::getOffset).isEqualTo(6L);
  }
}
