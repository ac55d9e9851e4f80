package dev.tally.lending.state;

import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.Set;

/**
 * A record waiting for consents: it takes effect at the entry holding the last required consent,
 * and lapses after its expiry.
 *
 * @param entry the proposal's entry
 * @param kind its record kind
 * @param proposer its author
 * @param awaiting the parties whose consent is still missing
 * @param expiry the last value date a consent may carry
 */
public record Proposal(
    Cid entry, String kind, PartyId proposer, Set<PartyId> awaiting, LocalDate expiry) {
  public Proposal {
    awaiting = Set.copyOf(awaiting);
  }

  public boolean lapsedAt(LocalDate businessDate) {
    return businessDate.isAfter(expiry);
  }
}
