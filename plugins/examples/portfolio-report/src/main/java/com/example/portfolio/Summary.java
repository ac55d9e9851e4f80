package com.example.portfolio;

import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.json.LendingJson;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.LoanStatus;
import dev.tally.plugin.spi.lending.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Active loans per currency: how many, their outstanding principal, and the annual rate weighted by
 * outstanding principal (in percent, four decimals).
 */
final class Summary {
  private Summary() {}

  private static final class Totals {
    long loans;
    Money outstanding;
    BigInteger weightedRate = BigInteger.ZERO;
  }

  static String of(LendingSnapshot s) {
    Map<String, Totals> byCurrency = new TreeMap<>();
    for (Loan l : s.loans()) {
      if (l.status() != LoanStatus.ACTIVE) {
        continue;
      }
      Money principal = l.outstanding().principal();
      Totals t = byCurrency.computeIfAbsent(l.currency(), c -> new Totals());
      t.loans++;
      t.outstanding = t.outstanding == null ? principal : t.outstanding.plus(principal);
      t.weightedRate =
          t.weightedRate.add(
              BigInteger.valueOf(principal.minor())
                  .multiply(BigInteger.valueOf(l.annualRateMillionths())));
    }
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", s.heads());
    w.field("businessDate", s.businessDate().toString()).name("currencies").beginArray();
    for (Map.Entry<String, Totals> e : byCurrency.entrySet()) {
      Totals t = e.getValue();
      w.beginObject().field("currency", e.getKey()).field("activeLoans", t.loans);
      LendingJson.money(w, "outstandingPrincipal", t.outstanding);
      String rate =
          t.outstanding.isZero()
              ? "0.0000"
              : new BigDecimal(t.weightedRate)
                  .divide(BigDecimal.valueOf(t.outstanding.minor()), 0, RoundingMode.HALF_EVEN)
                  .movePointLeft(4)
                  .setScale(4, RoundingMode.UNNECESSARY)
                  .toPlainString();
      w.field("weightedAnnualRatePercent", rate).endObject();
    }
    return w.endArray().endObject().toString();
  }
}
