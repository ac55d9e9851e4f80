package dev.tally.plugin.spi.lending;

import java.time.LocalDate;

/**
 * A secondary-market sale of (some of) a part.
 *
 * @param entry the CID of the {@code LoanPartTransferred} entry
 * @param part the part sold from
 * @param newPart the part the buyer holds afterwards (the same id when sold whole)
 * @param seller the seller's party id
 * @param buyer the buyer's party id
 * @param principal the principal transferred
 * @param price the price paid
 * @param settlementDate when it settled
 * @param accruedInterestToBuyer whether interest accrued before settlement goes to the buyer
 */
public record PartTransfer(
    String entry,
    String part,
    String newPart,
    String seller,
    String buyer,
    Money principal,
    Money price,
    LocalDate settlementDate,
    boolean accruedInterestToBuyer) {}
