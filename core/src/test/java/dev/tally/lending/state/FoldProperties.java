package dev.tally.lending.state;

import static dev.tally.lending.state.Scenario.DAY0;
import static dev.tally.lending.state.Scenario.REF;
import static dev.tally.lending.state.Scenario.eur;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tally.lending.money.Money;
import dev.tally.lending.record.ChargeApplied;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.record.Reversal;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fold depends on the set of entries only, and keeps its money invariants. */
class FoldProperties {
  /** A loan life with repayments of arbitrary sizes, a late fee, a reversal and a forged record. */
  private static Scenario life(List<Long> payments) {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    Cid o1 = s.offer(s.lender1, loan, "6000.00");
    Cid o2 = s.offer(s.lender2, loan, "4000.00");
    Cid agreed = s.append(s.servicer, loan, DAY0, s.contract(o1, o2, "6000.00", "4000.00"));
    for (Scenario.Actor a : List.of(s.borrower, s.lender1, s.lender2)) {
      s.consent(a, loan, agreed, DAY0);
    }
    s.append(s.servicer, loan, DAY0, new Disbursed(eur("10000.00"), REF));
    LocalDate day = DAY0;
    Cid first = null;
    for (long minor : payments) {
      day = day.plusDays(20);
      Cid p =
          s.append(
              s.servicer, loan, day, new RepaymentReceived(Money.of(Scenario.EUR, minor), REF));
      first = first == null ? p : first;
    }
    s.append(s.servicer, loan, day, new ChargeApplied("late-fee", "penalty", eur("25.00"), day, 1));
    if (first != null) {
      s.append(s.servicer, loan, day, new Reversal(first, "posting-error", day.plusDays(5)));
    }
    s.append(s.stranger, loan, day, new RepaymentReceived(eur("1.00"), REF));
    return s;
  }

  @Provide
  Arbitrary<List<Long>> payments() {
    return Arbitraries.longs().between(1, 400_000).list().ofMaxSize(15);
  }

  @Property(tries = 60)
  void theSameEntriesInAnyArrivalOrderGiveTheSameState(
      @ForAll("payments") List<Long> payments, @ForAll java.util.Random random) {
    Scenario s = life(payments);
    LendingState inOrder = s.state();
    List<LendingEntry> shuffled = new ArrayList<>(s.entries);
    java.util.Collections.shuffle(shuffled, random);
    LendingFold oneByOne = new LendingFold();
    shuffled.forEach(oneByOne::add);
    assertEquals(inOrder, oneByOne.state(List.of()));
    int half = shuffled.size() / 2;
    LendingFold twoJoins = new LendingFold();
    twoJoins.addAll(shuffled.subList(half, shuffled.size()));
    twoJoins.addAll(shuffled.subList(0, half));
    twoJoins.addAll(shuffled.subList(0, half));
    assertEquals(inOrder, twoJoins.state(List.of()));
  }

  @Property(tries = 60)
  void partsSumToTheWholeAndBalancesNeverGoNegative(@ForAll("payments") List<Long> payments) {
    LoanState loan = life(payments).state().allLoans().iterator().next();
    dev.tally.lending.money.Components parts =
        dev.tally.lending.money.Components.zero(Scenario.EUR);
    Money partPrincipal = Money.zero(Scenario.EUR);
    for (Part p : loan.parts()) {
      parts = parts.plus(p.received());
      partPrincipal = partPrincipal.plus(p.outstandingPrincipal());
      assertFalse(p.outstandingPrincipal().isNegative());
    }
    assertEquals(loan.paid(), parts, "what the borrower paid is what the parts received");
    assertEquals(loan.outstanding().principal(), partPrincipal);
    for (Installment i : loan.schedule()) {
      assertFalse(i.outstanding().principal().isNegative());
      assertFalse(i.outstanding().interest().isNegative());
      assertFalse(i.outstanding().penalties().isNegative());
    }
    Money paidIn = Money.zero(Scenario.EUR);
    for (long p : payments.subList(Math.min(1, payments.size()), payments.size())) {
      paidIn = paidIn.plus(Money.of(Scenario.EUR, p));
    }
    assertEquals(paidIn, loan.paid().total().plus(loan.creditBalance()), "every cent is allocated");
  }
}
