package dev.tally.lending.record;

import static dev.tally.testing.Hostile.check;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.testing.HostileTrees;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A record's structure, mutated as a tree rather than as bytes (a client's DAG-JSON or a writer's
 * entry can hold any well-formed value): a value of the wrong kind, a missing or extra key, a huge
 * or negative number, a list where a map belongs. Decoding fails only with {@link
 * RecordFormatException}, never with the data model's {@link IllegalStateException} or another
 * exception from below.
 */
class HostileRecordTreePropertiesTest {
  private static final List<LendingRecord> KINDS = LendingRecordTest.everyKind();

  @Property(tries = 300, seed = "4171")
  void recordsWithMistypedOrMissingFieldsFailOnlyWithRecordFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    IpldNode input = HostileTrees.variants(KINDS.get(r.nextInt(KINDS.size())).encode(), r);
    check(RecordFormatException.class, DagCbor.encode(input), b -> LendingRecord.decode(input));
  }
}
