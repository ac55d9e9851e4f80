package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Money;
import dev.tally.lending.record.PartyId;
import java.util.Optional;

/**
 * A lender's part of a loan. A part sold whole changes hands and keeps its id; a split creates a
 * new part for the buyer. Payments are shared over parts in proportion to their outstanding
 * principal, by largest remainder (ties to the lower part id).
 *
 * @param id the part id from the agreement or the transfer that created it
 * @param lender the party holding it now
 * @param principal the principal it was created with
 * @param outstandingPrincipal the principal it still holds
 * @param received what repayments and recoveries paid to it, by component
 * @param origin the part it was split from, for a part created by a transfer
 */
public record Part(
    String id,
    PartyId lender,
    Money principal,
    Money outstandingPrincipal,
    Components received,
    Optional<String> origin) {}
