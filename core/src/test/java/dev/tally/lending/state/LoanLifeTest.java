package dev.tally.lending.state;

import static dev.tally.lending.state.Scenario.DAY0;
import static dev.tally.lending.state.Scenario.REF;
import static dev.tally.lending.state.Scenario.eur;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.lending.money.Money;
import dev.tally.lending.record.ChargeApplied;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LoanPartTransferred;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.record.Reversal;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A loan's whole life through the fold, with figures from RECORDS.md and worked by hand. */
class LoanLifeTest {
  private static String major(Money m) {
    return m.major().toPlainString();
  }

  @Test
  void requestOffersAgreementDisbursementRepaymentsLateFeeTransferAndPayoff() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    assertEquals(LoanStatus.SUBMITTED, s.state().loan(loan).orElseThrow().status());
    assertEquals(100, s.state().loan(loan).orElseThrow().status().code());
    Cid o1 = s.offer(s.lender1, loan, "6000.00");
    Cid o2 = s.offer(s.lender2, loan, "4000.00");
    Cid agreed = s.append(s.servicer, loan, DAY0, s.contract(o1, o2, "6000.00", "4000.00"));
    s.consent(s.borrower, loan, agreed, DAY0);
    s.consent(s.lender1, loan, agreed, DAY0);
    LoanState pending = s.state().loan(loan).orElseThrow();
    assertEquals(LoanStatus.SUBMITTED, pending.status(), "not effective before the last consent");
    assertEquals(1, pending.pending().size());
    assertEquals(java.util.Set.of(s.lender2.id()), pending.pending().get(0).awaiting());
    s.consent(s.lender2, loan, agreed, DAY0);
    LoanState approved = s.state().loan(loan).orElseThrow();
    assertEquals(200, approved.status().code());
    assertEquals(agreed, approved.agreement().orElseThrow());
    assertEquals("888.49", major(approved.schedule().get(0).due().total()));
    assertEquals(
        "0.00", major(approved.outstanding().total()), "nothing is owed before disbursement");

    s.append(s.servicer, loan, DAY0, new Disbursed(eur("10000.00"), REF));
    LoanState active = s.state().loan(loan).orElseThrow();
    assertEquals(300, active.status().code());
    assertEquals("10000.00", major(active.outstanding().principal()));
    assertEquals("661.86", major(active.outstanding().interest()));

    // On time: 888.49 pays row 1 (100.00 interest, 788.49 principal), shared 60:40.
    s.append(
        s.servicer, loan, LocalDate.of(2026, 2, 15), new RepaymentReceived(eur("888.49"), REF));
    LoanState one = s.state().loan(loan).orElseThrow();
    assertTrue(one.schedule().get(0).settled());
    assertEquals(LocalDate.of(2026, 2, 15), one.schedule().get(0).settledOn().orElseThrow());
    Part a = one.parts().get(0);
    Part b = one.parts().get(1);
    assertEquals("60.00", major(a.received().interest()));
    assertEquals("40.00", major(b.received().interest()));
    // 788.49 × 0.6 = 473.094, × 0.4 = 315.396: the left-over cent goes to b's larger remainder.
    assertEquals("473.09", major(a.received().principal()));
    assertEquals("315.40", major(b.received().principal()));
    assertEquals("5526.91", major(a.outstandingPrincipal()));
    assertEquals(0, one.daysPastDue());

    // Row 2 (due 15 March) is late; on 20 April it is 36 days past due: bucket 31-60.
    s.append(
        s.servicer,
        loan,
        LocalDate.of(2026, 4, 20),
        new ChargeApplied("late-fee", "penalty", eur("25.00"), LocalDate.of(2026, 4, 20), 2));
    LoanState late = s.state().loan(loan).orElseThrow();
    assertEquals(36, late.daysPastDue());
    assertEquals("31-60", late.bucket());
    assertEquals(LocalDate.of(2026, 3, 15), late.overdueSince().orElseThrow());
    assertEquals("25.00", major(late.outstanding().penalties()));

    // 913.49 settles the penalty, then row 2's interest and principal; row 3 (15 April) is now
    // the oldest unpaid: 6 days past due on 21 April.
    s.append(
        s.servicer, loan, LocalDate.of(2026, 4, 21), new RepaymentReceived(eur("913.49"), REF));
    LoanState caught = s.state().loan(loan).orElseThrow();
    assertTrue(caught.schedule().get(1).settled());
    assertEquals("25.00", major(caught.schedule().get(1).paid().penalties()));
    assertEquals(6, caught.daysPastDue());
    assertEquals("1-30", caught.bucket());

    // Lender 1 sells part a whole to lender 3; lender 3 and the servicer consent.
    Cid sale =
        s.append(
            s.lender1,
            loan,
            LocalDate.of(2026, 4, 22),
            new LoanPartTransferred(
                "a",
                "a",
                s.lender3.id(),
                caught.parts().get(0).outstandingPrincipal(),
                eur("4900.00"),
                LocalDate.of(2026, 4, 22),
                "buyer",
                LocalDate.of(2026, 4, 30)));
    s.consent(s.lender3, loan, sale, LocalDate.of(2026, 4, 22));
    assertEquals(s.lender1.id(), s.state().loan(loan).orElseThrow().parts().get(0).lender());
    s.consent(s.servicer, loan, sale, LocalDate.of(2026, 4, 22));
    LoanState sold = s.state().loan(loan).orElseThrow();
    assertEquals(s.lender3.id(), sold.parts().get(0).lender());
    assertEquals(1, sold.transfers().size());

    // Early payoff: everything outstanding, future interest included (no interest recalculation).
    Money payoff = sold.outstanding().total();
    s.append(s.servicer, loan, LocalDate.of(2026, 4, 25), new RepaymentReceived(payoff, REF));
    LoanState closed = s.state().loan(loan).orElseThrow();
    assertEquals(600, closed.status().code());
    assertTrue(closed.outstanding().isZero());
    assertEquals("10000.00", major(closed.paid().principal()));
    assertEquals("661.86", major(closed.paid().interest()));
    Money partPrincipal = Money.zero(Scenario.EUR);
    for (Part p : closed.parts()) {
      partPrincipal = partPrincipal.plus(p.received().principal());
      assertTrue(p.outstandingPrincipal().isZero());
    }
    assertEquals("10000.00", major(partPrincipal), "parts sum to the whole");
    assertTrue(s.state().flagged().isEmpty(), s.state().flagged().toString());
  }

  @Test
  void anOverpaymentIsHeldAsCreditAndAReversalUndoesIt() {
    Scenario s = new Scenario();
    Cid loan = s.activeLoan();
    Cid over =
        s.append(s.servicer, loan, DAY0.plusDays(3), new RepaymentReceived(eur("11000.00"), REF));
    LoanState overpaid = s.state().loan(loan).orElseThrow();
    assertEquals(700, overpaid.status().code());
    assertEquals("338.14", major(overpaid.creditBalance()));
    // The repayment's only signer is the servicer, so the servicer's reversal is effective at once
    // and the loan is replayed without it: status 700 goes back to 300, the credit disappears.
    s.append(
        s.servicer, loan, DAY0.plusDays(4), new Reversal(over, "posting-error", DAY0.plusDays(10)));
    LoanState undone = s.state().loan(loan).orElseThrow();
    assertEquals(300, undone.status().code());
    assertEquals("0.00", major(undone.creditBalance()));
    assertEquals("10661.86", major(undone.outstanding().total()));
    assertTrue(undone.parts().get(0).received().isZero());
    // A second reversal of the same repayment is flagged and changes nothing.
    Cid again =
        s.append(
            s.servicer,
            loan,
            DAY0.plusDays(5),
            new Reversal(over, "posting-error", DAY0.plusDays(10)));
    LendingState st = s.state();
    assertEquals(undone.outstanding(), st.loan(loan).orElseThrow().outstanding());
    assertEquals(again, st.flagged().get(0).entry());
    assertTrue(st.flagged().get(0).reason().contains("already reversed"), st.flagged().toString());
  }
}
