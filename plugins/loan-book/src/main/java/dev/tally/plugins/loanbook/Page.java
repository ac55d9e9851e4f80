package dev.tally.plugins.loanbook;

import dev.tally.plugin.spi.lending.Loan;
import java.util.List;
import java.util.Optional;

/** One page of loans, and the id to ask for the next one from ({@code after}). */
record Page(List<Loan> loans, Optional<String> next) {}
