package dev.tally.plugins.loanbook;

import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The filters and paging of {@code GET /loans}: {@code status} (name such as {@code active} or
 * Fineract code such as {@code 300}), {@code currency}, {@code borrower}, {@code lender} (holds a
 * part), {@code after} (a loan id: start after it) and {@code limit} (1..{@value #MAX_LIMIT},
 * default {@value #DEFAULT_LIMIT}).
 */
record LoanQuery(
    Optional<LoanStatus> status,
    Optional<String> currency,
    Optional<String> borrower,
    Optional<String> lender,
    Optional<String> after,
    int limit) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  static LoanQuery of(PluginRequest r) {
    return new LoanQuery(
        r.query("status").map(LoanQuery::status),
        r.query("currency").map(c -> c.toUpperCase(Locale.ROOT)),
        r.query("borrower"),
        r.query("lender"),
        r.query("after"),
        (int) r.query("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
  }

  static LoanStatus status(String text) {
    Optional<LoanStatus> s;
    try {
      s = LoanStatus.ofCode(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      s = Optional.empty();
      for (LoanStatus v : LoanStatus.values()) {
        if (v.name().equalsIgnoreCase(text.replace('-', '_'))) {
          s = Optional.of(v);
        }
      }
    }
    return s.orElseThrow(
        () ->
            RouteException.badRequest(
                "unknown status \""
                    + text
                    + "\": use a name (submitted, approved, active, withdrawn, rejected,"
                    + " closed_obligations_met, closed_written_off, overpaid) or its code"));
  }

  boolean matches(Loan l) {
    return status.map(s -> s == l.status()).orElse(true)
        && currency.map(c -> c.equals(l.currency())).orElse(true)
        && borrower.map(b -> b.equals(l.borrower())).orElse(true)
        && lender.map(x -> holds(l, x)).orElse(true);
  }

  private static boolean holds(Loan l, String lender) {
    for (Part p : l.parts()) {
      if (p.lender().equals(lender)) {
        return true;
      }
    }
    return false;
  }

  /** The matching loans after {@code after}, in id order, at most {@code limit}. */
  Page page(LendingSnapshot s) {
    List<Loan> all = s.loans();
    int from = 0;
    if (after.isPresent()) {
      int i = Collections.binarySearch(ids(all), after.get());
      from = i >= 0 ? i + 1 : -i - 1;
    }
    List<Loan> out = new ArrayList<>();
    for (int i = from; i < all.size(); i++) {
      Loan l = all.get(i);
      if (!matches(l)) {
        continue;
      }
      if (out.size() == limit) {
        return new Page(out, Optional.of(out.get(out.size() - 1).id()));
      }
      out.add(l);
    }
    return new Page(out, Optional.empty());
  }

  private static List<String> ids(List<Loan> loans) {
    return new java.util.AbstractList<>() {
      @Override
      public String get(int i) {
        return loans.get(i).id();
      }

      @Override
      public int size() {
        return loans.size();
      }
    };
  }
}
