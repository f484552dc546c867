package io.rill.chaos.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rill.chaos.history.HistoryCodec;
import io.rill.chaos.history.Op;
import io.rill.chaos.history.OpType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each anomaly class on a history made to show it, and clean histories that must pass. */
class CheckerTest {
  /** Two producers, two partitions, an assigned consumer reading everything in order. */
  private static Histories clean() {
    return new Histories()
        .assign(2, 0, 1)
        .sendOk(0, 0, 1, 0).sendOk(1, 1, 2, 0).sendOk(0, 0, 3, 1).sendOk(1, 1, 4, 1)
        .poll(2, 0, 0, 1, 1, 0, 2)
        .sendOk(0, 0, 5, 2)
        .poll(2, 0, 1, 3, 0, 2, 5, 1, 1, 4);
  }

  @Test
  void aCleanHistoryIsValid() {
    CheckResult r = clean().nemesis("start-kill").nemesis("stop-kill").check();
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(r.acked()).isEqualTo(5);
    assertThat(r.faults()).isEqualTo(1);
    assertThat(r.ok()).isEqualTo(8);
  }

  @Test
  void anIndeterminateSendNeverReadIsNotLost() {
    CheckResult r = clean().send(0, OpType.INFO, 0, 99).send(1, OpType.FAIL, 1, 98)
        .poll(2, 0, 3, 7).sendOk(0, 0, 7, 3).check();
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.info()).isEqualTo(1);
    assertThat(r.fail()).isEqualTo(1);
  }

  @Test
  void anIndeterminateSendThatWasReadIsFine() {
    CheckResult r = clean().send(0, OpType.INFO, 0, 99).poll(2, 0, 3, 99).check();
    assertThat(r.anomalies()).isEmpty();
  }

  @Test
  void anAcknowledgedSendBelowWhatWasReadButNeverReadIsALostWrite() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1).sendOk(0, 0, 3, 2)
        .poll(2, 0, 0, 1, 0, 2, 3) // the log went on past offset 1, but nobody ever read it
        .check();
    assertThat(r.of(AnomalyType.LOST_WRITE)).singleElement().satisfies(a -> {
      assertThat(a.partition()).isEqualTo(0);
      assertThat(a.values()).containsExactly(2L);
      assertThat(a.offsets()).containsExactly(1L);
      assertThat(a.ops()).containsExactly(4L, 5L); // the send's invoke and ok
    });
    // The reader passed over offset 1, which an acknowledgement says holds a value.
    assertThat(r.of(AnomalyType.POLL_SKIP)).hasSize(1);
    assertThat(r.valid()).isFalse();
  }

  @Test
  void anAcknowledgedSendAboveEverythingReadIsUnseenNotLost() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1).poll(2, 0, 0, 1).check();
    assertThat(r.of(AnomalyType.LOST_WRITE)).isEmpty();
    assertThat(r.of(AnomalyType.UNSEEN)).singleElement()
        .satisfies(a -> assertThat(a.values()).containsExactly(2L));
  }

  @Test
  void oneValueAtTwoOffsetsIsADuplicate() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1)
        .poll(2, 0, 0, 1, 0, 1, 2, 0, 2, 1) // a retried batch written twice
        .check();
    assertThat(r.counts()).containsEntry(AnomalyType.DUPLICATE, 1L)
        .containsEntry(AnomalyType.INCONSISTENT_OFFSETS, 0L);
    assertThat(r.of(AnomalyType.DUPLICATE).get(0).offsets()).containsExactly(0L, 2L);
  }

  @Test
  void twoValuesAtOneOffsetAreInconsistentOffsets() {
    CheckResult r = new Histories().assign(2, 0).assign(3, 0)
        .sendOk(0, 0, 1, 0).sendOk(1, 0, 2, 1)
        .poll(2, 0, 0, 1, 0, 1, 2)
        .poll(3, 0, 0, 1, 0, 1, 7) // another reader sees another value at offset 1
        .check();
    assertThat(r.of(AnomalyType.INCONSISTENT_OFFSETS)).singleElement().satisfies(a -> {
      assertThat(a.offsets()).containsExactly(1L);
      assertThat(a.values()).containsExactly(2L, 7L);
    });
  }

  @Test
  void aLaterSendOfOneProcessAtALowerOffsetIsNonmonotonic() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(1, 0, 1, 0).sendOk(0, 0, 2, 1).sendOk(1, 0, 3, 2).sendOk(0, 0, 4, 0)
        .poll(2, 0, 0, 1, 0, 1, 2, 0, 2, 3)
        .check();
    assertThat(r.of(AnomalyType.NONMONOTONIC_SEND)).singleElement().satisfies(a -> {
      assertThat(a.offsets()).containsExactly(1L, 0L);
      assertThat(a.values()).containsExactly(2L, 4L);
    });
  }

  @Test
  void anAssignedConsumerPassingOverKnownOffsetsIsAPollSkip() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1).sendOk(0, 0, 3, 2)
        .poll(2, 0, 0, 1).poll(2, 0, 2, 3) // offset 1 holds value 2; this consumer jumped it
        .poll(3, 0, 1, 2) // someone else read it, so it is not lost
        .check();
    assertThat(r.of(AnomalyType.POLL_SKIP)).singleElement().satisfies(a -> {
      assertThat(a.offsets()).containsExactly(0L, 1L, 2L);
      assertThat(a.ops()).hasSize(2);
    });
    assertThat(r.of(AnomalyType.LOST_WRITE)).isEmpty();
  }

  @Test
  void anAssignedConsumerGoingBackwardsIsANonmonotonicPoll() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1)
        .poll(2, 0, 0, 1, 0, 1, 2).poll(2, 0, 1, 2)
        .check();
    assertThat(r.of(AnomalyType.NONMONOTONIC_POLL)).singleElement()
        .satisfies(a -> assertThat(a.offsets()).containsExactly(1L, 1L));
  }

  @Test
  void aSkipOrRewindWithinOnePollIsFoundToo() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1).sendOk(0, 0, 3, 2)
        .poll(2, 0, 0, 1, 0, 2, 3, 0, 1, 2).check();
    assertThat(r.of(AnomalyType.POLL_SKIP)).hasSize(1);
    assertThat(r.of(AnomalyType.NONMONOTONIC_POLL)).hasSize(1);
  }

  @Test
  void aNewAssignmentResetsThePositions() {
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1)
        .poll(2, 0, 0, 1, 0, 1, 2).assign(2, 0).poll(2, 0, 0, 1, 0, 1, 2) // seek to beginning
        .check();
    assertThat(r.anomalies()).isEmpty();
  }

  @Test
  void rewindsAndSkipsUnderSubscribeAreAllowedNotAnomalies() {
    CheckResult r = new Histories().subscribe(2, 0)
        .sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1).sendOk(0, 0, 3, 2)
        .poll(2, 0, 0, 1, 0, 1, 2).poll(2, 0, 0, 1) // a rebalance moved it back
        .poll(2, 0, 2, 3).poll(3, 0, 1, 2)
        .check();
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.allowedCounts()).containsEntry(AnomalyType.NONMONOTONIC_POLL, 1L)
        .containsEntry(AnomalyType.POLL_SKIP, 1L);
  }

  @Test
  void offsetGapsNoValueIsKnownAtAreNotSkips() {
    // Offsets 1 and 2 were never seen by anyone (e.g. an indeterminate send's batch): no skip.
    CheckResult r = new Histories().assign(2, 0)
        .sendOk(0, 0, 1, 0).send(0, OpType.INFO, 0, 2).sendOk(0, 0, 3, 3)
        .poll(2, 0, 0, 1, 0, 3, 3).check();
    assertThat(r.anomalies()).isEmpty();
  }

  @Test
  void aHistoryRoundTripsThroughItsJsonLinesAndChecksTheSame() {
    List<Op> ops = new Histories().assign(2, 0).sendOk(0, 0, 1, 0).sendOk(0, 0, 2, 1)
        .poll(2, 0, 0, 1).poll(2, 0, 1, 3).nemesis("start-pause").ops();
    List<Op> back = ops.stream().map(HistoryCodec::toLine)
        .map(line -> HistoryCodec.fromLine(line, 1)).toList();
    assertThat(back.stream().map(HistoryCodec::toLine))
        .containsExactlyElementsOf(ops.stream().map(HistoryCodec::toLine).toList());
    assertThat(HistoryCodec.toLine(ops.get(2))).isEqualTo(
        "{\"index\":2,\"time\":2000000,\"process\":0,\"type\":\"invoke\",\"f\":\"send\","
            + "\"value\":{\"partition\":0,\"value\":1}}");
    assertThat(Checker.check(back)).isEqualTo(Checker.check(ops));
  }
}
