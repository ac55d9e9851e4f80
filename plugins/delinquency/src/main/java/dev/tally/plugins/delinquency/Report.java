package dev.tally.plugins.delinquency;

import static dev.tally.plugin.spi.json.LendingJson.money;

import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.json.LendingJson;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import dev.tally.plugin.spi.log.Heads;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The delinquency of one snapshot: active loans per currency by bucket, with their outstanding
 * principal, and portfolio at risk — the outstanding principal of active loans more than N days
 * past due over that of all active loans — for each configured N. Built once per heads and business
 * date; its JSON is kept.
 */
final class Report {
  final Heads heads;
  final LocalDate businessDate;

  /** Overdue active loans, most days past due first (ties by id). */
  final List<Loan> overdue;

  final String json;

  /**
   * One currency's sums in minor units (plain {@code long}s with exact, overflow-checked adds: this
   * loop runs over every loan each time the heads move).
   */
  private static final class Currency {
    final String code;
    final int exponent;
    final long[] count;
    final long[] principal;
    final long[] atRisk;
    long total;

    Currency(String code, int exponent, int buckets, int par) {
      this.code = code;
      this.exponent = exponent;
      count = new long[buckets];
      principal = new long[buckets];
      atRisk = new long[par];
    }

    Money money(long minor) {
      return new Money(code, minor, exponent);
    }
  }

  Report(LendingSnapshot s, Buckets buckets, List<Integer> par) {
    heads = s.heads();
    businessDate = s.businessDate();
    Map<String, Currency> byCurrency = new TreeMap<>();
    int[] days = par.stream().mapToInt(Integer::intValue).toArray();
    List<Loan> late = new ArrayList<>();
    for (Loan l : s.loans()) {
      if (l.status() != LoanStatus.ACTIVE) {
        continue;
      }
      Money p = l.outstanding().principal();
      Currency c = byCurrency.get(l.currency());
      if (c == null) {
        c = new Currency(l.currency(), p.exponent(), buckets.count(), days.length);
        byCurrency.put(l.currency(), c);
      }
      int dpd = l.daysPastDue();
      int b = buckets.of(dpd);
      c.count[b]++;
      c.principal[b] = Math.addExact(c.principal[b], p.minor());
      c.total = Math.addExact(c.total, p.minor());
      for (int i = 0; i < days.length; i++) {
        if (dpd > days[i]) {
          c.atRisk[i] = Math.addExact(c.atRisk[i], p.minor());
        }
      }
      if (dpd > 0) {
        late.add(l);
      }
    }
    late.sort(Comparator.comparingInt(Loan::daysPastDue).reversed().thenComparing(Loan::id));
    overdue = List.copyOf(late);
    json = json(s, buckets, par, byCurrency);
  }

  boolean reflects(LendingSnapshot s) {
    return heads.equals(s.heads()) && businessDate.equals(s.businessDate());
  }

  private static String json(
      LendingSnapshot s, Buckets buckets, List<Integer> par, Map<String, Currency> byCurrency) {
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", s.heads());
    w.field("businessDate", s.businessDate().toString()).name("currencies").beginArray();
    for (Map.Entry<String, Currency> e : byCurrency.entrySet()) {
      Currency c = e.getValue();
      long loans = 0;
      for (long n : c.count) {
        loans += n;
      }
      w.beginObject().field("currency", e.getKey()).field("activeLoans", loans);
      money(w, "outstandingPrincipal", c.money(c.total));
      w.name("buckets").beginArray();
      for (int b = 0; b < buckets.count(); b++) {
        w.beginObject().field("bucket", buckets.label(b)).field("loans", c.count[b]);
        money(w, "outstandingPrincipal", c.money(c.principal[b]));
        w.endObject();
      }
      w.endArray().name("portfolioAtRisk").beginArray();
      for (int i = 0; i < par.size(); i++) {
        int days = par.get(i);
        w.beginObject().field("name", "PAR" + days).field("daysOver", days);
        money(w, "atRisk", c.money(c.atRisk[i]));
        w.field("ratio", ratio(c.atRisk[i], c.total)).endObject();
      }
      w.endArray().endObject();
    }
    return w.endArray().endObject().toString();
  }

  /** {@code part / whole} to four decimals, half-even; 0 for an empty portfolio. */
  static String ratio(long part, long whole) {
    if (whole == 0) {
      return "0.0000";
    }
    return BigDecimal.valueOf(part)
        .divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_EVEN)
        .toPlainString();
  }
}
