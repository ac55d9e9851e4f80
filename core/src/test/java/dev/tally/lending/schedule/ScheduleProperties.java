package dev.tally.lending.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import java.time.LocalDate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ScheduleProperties {
  @Provide
  Arbitrary<ScheduleTerms> terms() {
    Arbitrary<Money> principal =
        Combinators.combine(
                Arbitraries.of("EUR", "JPY", "KWD", "USD", "CLF"),
                Arbitraries.longs().between(1, 1_000_000_000_000L))
            .as((c, m) -> Money.of(Currency.of(c), m));
    Arbitrary<Rate> rate = Arbitraries.longs().between(0, 1_000_000).map(Rate::ofMillionths);
    Arbitrary<Integer> n = Arbitraries.integers().between(1, 120);
    Arbitrary<LocalDate> start =
        Arbitraries.integers().between(0, 20_000).map(d -> LocalDate.of(2000, 1, 1).plusDays(d));
    Arbitrary<int[]> graces = Arbitraries.integers().between(0, 3).array(int[].class).ofSize(3);
    return Combinators.combine(
            principal,
            rate,
            Arbitraries.of(InterestMethod.class),
            Arbitraries.of(Amortization.class),
            Arbitraries.of(InterestPeriod.class),
            Arbitraries.of(DaysInYear.class),
            Arbitraries.of(DaysInMonth.class),
            Combinators.combine(
                    Arbitraries.integers().between(1, 3),
                    n,
                    start,
                    Arbitraries.integers().between(1, 40),
                    graces)
                .as((every, count, s, firstGap, g) -> new Object[] {every, count, s, firstGap, g}))
        .as(
            (p, r, im, am, ip, diy, dim, rest) -> {
              int every = (Integer) rest[0];
              int count = (Integer) rest[1];
              LocalDate s = (LocalDate) rest[2];
              int[] g = (int[]) rest[4];
              Grace grace =
                  new Grace(
                      Math.min(g[0], count - 1),
                      Math.min(g[1], count - 1),
                      Math.min(g[2], count - 1));
              return new ScheduleTerms(
                  p,
                  r,
                  im,
                  am,
                  ip,
                  diy,
                  dim,
                  every,
                  count,
                  s,
                  s.plusDays((Integer) rest[3]),
                  grace);
            });
  }

  @Property(tries = 500)
  void installmentsSumToPrincipalPlusInterest(@ForAll("terms") ScheduleTerms t) {
    Schedule s = ScheduleGenerator.generate(t);
    Money total = Money.zero(t.principal().currency());
    for (Installment r : s.rows()) {
      total = total.plus(r.total());
    }
    assertEquals(t.principal(), s.totalPrincipal());
    assertEquals(t.principal().plus(s.totalInterest()), total);
    assertEquals(t.repayments(), s.rows().size());
  }

  @Property(tries = 500)
  void balancesAndAmountsAreNeverNegativeAndEndAtZero(@ForAll("terms") ScheduleTerms t) {
    Schedule s = ScheduleGenerator.generate(t);
    Money before = t.principal();
    for (Installment r : s.rows()) {
      assertFalse(r.balance().isNegative(), "balance of row " + r);
      assertFalse(r.principal().isNegative(), "principal of row " + r);
      assertFalse(r.interest().isNegative(), "interest of row " + r);
      assertEquals(before.minus(r.principal()), r.balance());
      before = r.balance();
    }
    assertEquals(0, s.last().balance().minor());
  }
}
