package dev.tally.lending.state;

import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.util.Set;

/**
 * A record as the loan applies it: its entry, its position in the fold, its author and everyone who
 * signed it (the author plus consenting parties, for a proposal).
 */
record Event(Cid entry, long seq, PartyId author, LendingRecord record, Set<PartyId> signers) {
  Event {
    signers = Set.copyOf(signers);
  }
}
