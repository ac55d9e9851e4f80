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

  private static final class Currency {
    final long[] count;
    final Money[] principal;
    Money total;

    Currency(Buckets b, Money zero) {
      count = new long[b.count()];
      principal = new Money[b.count()];
      java.util.Arrays.fill(principal, zero);
      total = zero;
    }
  }

  Report(LendingSnapshot s, Buckets buckets, List<Integer> par) {
    heads = s.heads();
    businessDate = s.businessDate();
    Map<String, Currency> byCurrency = new TreeMap<>();
    Map<String, Map<Integer, Money>> atRisk = new TreeMap<>();
    List<Loan> late = new ArrayList<>();
    for (Loan l : s.loans()) {
      if (l.status() != LoanStatus.ACTIVE) {
        continue;
      }
      Money p = l.outstanding().principal();
      Money zero = Money.zero(p.currency(), p.exponent());
      Currency c = byCurrency.computeIfAbsent(l.currency(), k -> new Currency(buckets, zero));
      int b = buckets.of(l.daysPastDue());
      c.count[b]++;
      c.principal[b] = c.principal[b].plus(p);
      c.total = c.total.plus(p);
      Map<Integer, Money> risk = atRisk.computeIfAbsent(l.currency(), k -> new TreeMap<>());
      for (int days : par) {
        Money sum = risk.getOrDefault(days, zero);
        risk.put(days, l.daysPastDue() > days ? sum.plus(p) : sum);
      }
      if (l.daysPastDue() > 0) {
        late.add(l);
      }
    }
    late.sort(Comparator.comparingInt(Loan::daysPastDue).reversed().thenComparing(Loan::id));
    overdue = List.copyOf(late);
    json = json(s, buckets, par, byCurrency, atRisk);
  }

  boolean reflects(LendingSnapshot s) {
    return heads.equals(s.heads()) && businessDate.equals(s.businessDate());
  }

  private static String json(
      LendingSnapshot s,
      Buckets buckets,
      List<Integer> par,
      Map<String, Currency> byCurrency,
      Map<String, Map<Integer, Money>> atRisk) {
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
      money(w, "outstandingPrincipal", c.total);
      w.name("buckets").beginArray();
      for (int b = 0; b < buckets.count(); b++) {
        w.beginObject().field("bucket", buckets.label(b)).field("loans", c.count[b]);
        money(w, "outstandingPrincipal", c.principal[b]);
        w.endObject();
      }
      w.endArray().name("portfolioAtRisk").beginArray();
      for (int days : par) {
        Money risk = atRisk.get(e.getKey()).get(days);
        w.beginObject().field("name", "PAR" + days).field("daysOver", days);
        money(w, "atRisk", risk);
        w.field("ratio", ratio(risk, c.total)).endObject();
      }
      w.endArray().endObject();
    }
    return w.endArray().endObject().toString();
  }

  /** {@code part / whole} to four decimals, half-even; 0 for an empty portfolio. */
  static String ratio(Money part, Money whole) {
    if (whole.isZero()) {
      return "0.0000";
    }
    return BigDecimal.valueOf(part.minor())
        .divide(BigDecimal.valueOf(whole.minor()), 4, RoundingMode.HALF_EVEN)
        .toPlainString();
  }
}
