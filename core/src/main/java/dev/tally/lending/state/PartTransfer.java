package dev.tally.lending.state;

import dev.tally.lending.money.Money;
import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;

/** A sale of (some of) a part, once effective. */
public record PartTransfer(
    Cid entry,
    String part,
    String newPart,
    PartyId seller,
    PartyId buyer,
    Money principal,
    Money price,
    LocalDate settlementDate,
    boolean accruedInterestToBuyer) {}
