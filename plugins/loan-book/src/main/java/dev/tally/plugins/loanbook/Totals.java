package dev.tally.plugins.loanbook;

import static dev.tally.plugin.spi.json.LendingJson.components;
import static dev.tally.plugin.spi.json.LendingJson.money;

import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.lending.Components;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import dev.tally.plugin.spi.log.Heads;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Portfolio totals per currency: loans by status, principal, disbursed and outstanding by
 * component. Sums are exact and computed once per heads and business date (the answer of the last
 * snapshot is kept), so repeated queries cost a lookup.
 */
final class Totals {
  private record Key(Heads heads, LocalDate date) {}

  private record Cached(Key key, String json) {}

  private volatile Cached cached;

  String json(LendingSnapshot s) {
    Key key = new Key(s.heads(), s.businessDate());
    Cached c = cached;
    if (c != null && c.key.equals(key)) {
      return c.json;
    }
    String json = compute(s);
    cached = new Cached(key, json);
    return json;
  }

  private static final class Sum {
    final Map<LoanStatus, Integer> byStatus = new EnumMap<>(LoanStatus.class);
    Money principal;
    Money disbursed;
    Components outstanding;

    Sum(Loan l) {
      principal = Money.zero(l.currency(), l.principal().exponent());
      disbursed = principal;
      outstanding = Components.zero(l.currency(), l.principal().exponent());
    }

    void add(Loan l) {
      byStatus.merge(l.status(), 1, Integer::sum);
      principal = principal.plus(l.principal());
      disbursed = disbursed.plus(l.disbursed());
      outstanding = outstanding.plus(l.outstanding());
    }
  }

  private static String compute(LendingSnapshot s) {
    Map<String, Sum> sums = new TreeMap<>();
    for (Loan l : s.loans()) {
      sums.computeIfAbsent(l.currency(), c -> new Sum(l)).add(l);
    }
    JsonWriter w = LoanJson.begin(s).name("currencies").beginArray();
    for (Map.Entry<String, Sum> e : sums.entrySet()) {
      Sum sum = e.getValue();
      w.beginObject().field("currency", e.getKey());
      int loans = sum.byStatus.values().stream().mapToInt(Integer::intValue).sum();
      w.field("loans", loans).name("byStatus").beginObject();
      sum.byStatus.forEach((st, n) -> w.field(st.name().toLowerCase(Locale.ROOT), n));
      w.endObject();
      money(w, "principal", sum.principal);
      money(w, "disbursed", sum.disbursed);
      components(w, "outstanding", sum.outstanding);
      w.endObject();
    }
    return w.endArray().endObject().toString();
  }
}
