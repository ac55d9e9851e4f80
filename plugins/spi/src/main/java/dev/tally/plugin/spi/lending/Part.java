package dev.tally.plugin.spi.lending;

import java.util.Optional;

/**
 * A lender's share of a loan. A part sold whole changes hands and keeps its id; a split creates a
 * new part for the buyer.
 *
 * @param id the part id from the agreement (or from the transfer that created it)
 * @param lender the lender's party id
 * @param principal the principal this part was created with
 * @param outstandingPrincipal the principal it still holds
 * @param received what repayments have paid to this part so far, by component
 * @param accruedInterest interest accrued to this part and not yet paid, at the business date
 * @param origin the part it was split from, when it was created by a transfer
 */
public record Part(
    String id,
    String lender,
    Money principal,
    Money outstandingPrincipal,
    Components received,
    Money accruedInterest,
    Optional<String> origin) {}
