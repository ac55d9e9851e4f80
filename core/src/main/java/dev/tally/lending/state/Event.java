package dev.tally.lending.state;

import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.util.Set;

/**
 * A record as the loan applies it: its entry, the log entry where it took effect (itself, or the
 * last consent of a proposal), its author and everyone who signed it (the author plus consenting
 * parties, for a proposal).
 */
record Event(
    Cid entry, LendingEntry at, PartyId author, LendingRecord record, Set<PartyId> signers) {
  Event {
    signers = Set.copyOf(signers);
  }
}
