package dev.tally.plugin.spi.lending;

import java.time.LocalDate;

/**
 * Money that moved for one lender part, by component, as the lending state allocated it (each
 * payment split over parts by largest remainder, so the parts sum to the whole).
 *
 * @param entry the CID of the log entry that moved it
 * @param valueDate its business date
 * @param part the part
 * @param lender the lender holding the part at that date
 * @param kind what moved it
 * @param amount how much, by component (always non-negative; {@code kind} gives the direction)
 */
public record CashFlow(
    String entry,
    LocalDate valueDate,
    String part,
    String lender,
    CashFlowKind kind,
    Components amount) {}
