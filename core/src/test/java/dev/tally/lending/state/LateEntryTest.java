package dev.tally.lending.state;

import static dev.tally.lending.state.Scenario.DAY0;
import static dev.tally.lending.state.Scenario.REF;
import static dev.tally.lending.state.Scenario.eur;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * An entry that sorts before the fold's tail (a join brought an older concurrent entry) replays
 * only its own loan, and the state is still the one the entries give in order.
 */
class LateEntryTest {
  /** Loan A active with one repayment, then loan B's whole life, then one more record of A. */
  private static final class TwoLoans {
    final Scenario s = new Scenario();
    final Cid a = s.activeLoan();
    final Cid lateRepayment =
        s.append(s.servicer, a, DAY0.plusMonths(1), new RepaymentReceived(eur("888.49"), REF));
    final Cid b = s.request();
    final int bStart = s.entries.size() - 1;

    TwoLoans() {
      Cid o1 = s.offer(s.lender1, b, "6000.00");
      Cid o2 = s.offer(s.lender2, b, "4000.00");
      Cid agreed = s.append(s.servicer, b, DAY0, s.contract(o1, o2, "6000.00", "4000.00"));
      for (Scenario.Actor x : List.of(s.borrower, s.lender1, s.lender2)) {
        s.consent(x, b, agreed, DAY0);
      }
      s.append(s.servicer, b, DAY0, new Disbursed(eur("10000.00"), REF));
      for (int m = 1; m <= 11; m++) {
        s.append(s.servicer, b, DAY0.plusMonths(m), new RepaymentReceived(eur("888.49"), REF));
      }
    }

    LendingEntry entry(Cid cid) {
      return s.entries.stream().filter(e -> e.cid().equals(cid)).findFirst().orElseThrow();
    }

    /**
     * Folds every entry but {@code held} in order, then {@code held}; the records applied by it.
     */
    long costOfLate(LendingFold fold, LendingEntry held) {
      s.entries.stream().filter(e -> !e.equals(held)).forEach(fold::add);
      long before = fold.applied();
      fold.add(held);
      return fold.applied() - before;
    }
  }

  @Test
  void aLateRecordWithNothingOfItsLoanAfterItCostsOneRecord() {
    TwoLoans t = new TwoLoans();
    LendingFold fold = new LendingFold();
    assertEquals(1, t.costOfLate(fold, t.entry(t.lateRepayment)));
    assertEquals(t.s.state(), fold.state(List.of()));
    assertEquals(
        "9211.51", fold.loan(t.a).orElseThrow().outstanding().principal().major().toPlainString());
  }

  @Test
  void aLateRecordReplaysItsOwnLoanOnlyNotTheLog() {
    TwoLoans t = new TwoLoans();
    // Another record of A after all of B's: the late repayment now lands inside A's records.
    t.s.append(t.s.servicer, t.a, DAY0.plusMonths(2), new RepaymentReceived(eur("888.49"), REF));
    LendingFold fold = new LendingFold();
    long cost = t.costOfLate(fold, t.entry(t.lateRepayment));
    // A's records: request, two offers, agreement, three consents, disbursement, two repayments.
    assertEquals(10, cost, "replays loan A's 10 records, not the log's " + t.s.entries.size());
    assertEquals(t.s.state(), fold.state(List.of()));
    assertEquals(
        "8415.14", fold.loan(t.a).orElseThrow().outstanding().principal().major().toPlainString());
  }

  @Test
  void aLateConsentArrivingBeforeItsProposalIsAdoptedWhenTheProposalComes() {
    TwoLoans t = new TwoLoans();
    List<LendingEntry> order = new ArrayList<>(t.s.entries);
    // B's agreement (4th record of B) arrives last of all: its consents came before it.
    LendingEntry agreement = order.remove(t.bStart + 3);
    LendingFold fold = new LendingFold();
    order.forEach(fold::add);
    assertTrue(
        fold.state(List.of()).flagged().stream()
            .anyMatch(f -> f.reason().startsWith("no pending proposal")),
        "until the proposal arrives its consents name nothing");
    fold.add(agreement);
    assertEquals(t.s.state(), fold.state(List.of()));
    assertEquals(List.of(), fold.state(List.of()).flagged());
    assertEquals(LoanStatus.ACTIVE, fold.loan(t.b).orElseThrow().status());
  }

  @Test
  void aLateRegistrationReplaysEverythingBecauseRolesChangeEveryLoansRecords() {
    Scenario s = new Scenario();
    s.append(
        s.stranger,
        Optional.empty(),
        DAY0,
        new PartyRegistered(List.of("lender"), Optional.empty()));
    TwoLoans t = new TwoLoans();
    t.s.entries.add(0, s.entries.get(0));
    LendingFold fold = new LendingFold();
    assertEquals(t.s.entries.size(), t.costOfLate(fold, s.entries.get(0)));
    assertEquals(t.s.state(), fold.state(List.of()));
  }

  @Property(tries = 40)
  void twoLoansInAnyArrivalOrderGiveTheStateOfTheLogOrder(@ForAll java.util.Random random) {
    TwoLoans t = new TwoLoans();
    t.s.append(t.s.stranger, t.a, DAY0, new RepaymentReceived(eur("1.00"), REF));
    t.s.append(t.s.servicer, t.a, DAY0.plusMonths(2), new RepaymentReceived(eur("900.00"), REF));
    List<LendingEntry> shuffled = new ArrayList<>(t.s.entries);
    java.util.Collections.shuffle(shuffled, random);
    LendingFold fold = new LendingFold();
    shuffled.forEach(fold::add);
    assertEquals(t.s.state(), fold.state(List.of()));
  }
}
