package dev.tally.lending.record;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A lending record arrives inside a log entry from any writer (or from a client's JSON, through the
 * same decoder): truncations and mutations of every kind of record fail only with {@link
 * RecordFormatException}.
 */
class MalformedRecordPropertiesTest {
  private static final List<LendingRecord> KINDS = LendingRecordTest.everyKind();

  @Property(tries = 500, seed = "4041")
  void mutatedRecordsFailOnlyWithRecordFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] valid = KINDS.get(r.nextInt(KINDS.size())).bytes();
    check(RecordFormatException.class, variant(valid, r), LendingRecord::decode);
  }
}
