package dev.tally.lending.state;

import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * A record kept in the log but not applied, and why: malformed, from a party without the role, not
 * allowed in the loan's status, referring to unknown records, or a proposal that lapsed or became
 * invalid before its last consent.
 *
 * @param entry the entry holding the record
 * @param kind its kind, or {@code "?"} when it could not be read
 * @param loan the loan it names, when it names one
 * @param reason what is wrong, in words a user can act on
 */
public record Flagged(Cid entry, String kind, Optional<Cid> loan, String reason) {}
