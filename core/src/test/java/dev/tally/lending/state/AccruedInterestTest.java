package dev.tally.lending.state;

import static dev.tally.lending.state.Scenario.DAY0;
import static dev.tally.lending.state.Scenario.REF;
import static dev.tally.lending.state.Scenario.eur;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.lending.money.Money;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Accrued interest per lender part on the RECORDS.md loan (10,000.00 EUR, 12 %, 12 monthly from 15
 * January 2026; parts a 6,000.00 and b 4,000.00). Every expected figure is worked by hand in the
 * comments.
 */
class AccruedInterestTest {
  private static List<String> accrued(LoanState s) {
    return s.accruedInterest().stream().map(m -> m.major().toPlainString()).toList();
  }

  private static LoanState at(Scenario s, Cid loan, int year, int month, int day) {
    return s.state().loan(loan).orElseThrow().at(LocalDate.of(year, month, day));
  }

  @Test
  void accruesTheCurrentPeriodsInterestProRataAndSplitsItByOutstandingPrincipal() {
    Scenario s = new Scenario();
    Cid loan = s.activeLoan();
    // Row 1: 15 January to 15 February (31 days), interest 100.00. On 25 January, 10 days:
    // 100.00 × 10 / 31 = 32.258 → 32.26. Split 6,000:4,000: 19.356 and 12.904; the floors 19.35 +
    // 12.90 leave one cent, to a (remainder .6 against .4): 19.36 and 12.90.
    assertEquals(List.of("19.36", "12.90"), accrued(at(s, loan, 2026, 1, 25)));
    // On the day of disbursement nothing has been earned yet.
    assertEquals(List.of("0.00", "0.00"), accrued(at(s, loan, 2026, 1, 15)));
    // On the due date the interest is due, not accrued.
    assertEquals(List.of("0.00", "0.00"), accrued(at(s, loan, 2026, 2, 15)));
  }

  @Test
  void interestAlreadyPaidIsNotAccruedAgain() {
    Scenario s = new Scenario();
    Cid loan = s.activeLoan();
    // 20.00 paid early goes to row 1's interest (oldest installment, interest before principal).
    s.append(s.servicer, loan, LocalDate.of(2026, 1, 20), new RepaymentReceived(eur("20.00"), REF));
    // On 25 January: 32.26 earned − 20.00 paid = 12.26; 6:4 gives 7.356 and 4.904 → 7.35 + 4.90
    // and the left-over cent to a: 7.36 and 4.90.
    assertEquals(List.of("7.36", "4.90"), accrued(at(s, loan, 2026, 1, 25)));
    // More paid than earned so far: nothing accrued, never negative.
    assertEquals(List.of("0.00", "0.00"), accrued(at(s, loan, 2026, 1, 17)));
  }

  @Test
  void afterARepaymentTheWeightsAreTheNewOutstandingPrincipal() {
    Scenario s = new Scenario();
    Cid loan = s.activeLoan();
    s.append(
        s.servicer, loan, LocalDate.of(2026, 2, 15), new RepaymentReceived(eur("888.49"), REF));
    // Row 2: 15 February to 15 March (28 days), interest 92.12; on 1 March, 14 days: 46.06.
    // Parts after row 1: a 6,000.00 − 473.09 = 5,526.91, b 4,000.00 − 315.40 = 3,684.60.
    // 4,606 × 552,691 / 921,151 = 2,763.6 and 4,606 × 368,460 / 921,151 = 1,842.4: floors
    // 27.63 + 18.42 leave a cent for a (.6 against .4): 27.64 and 18.42.
    assertEquals(List.of("27.64", "18.42"), accrued(at(s, loan, 2026, 3, 1)));
  }

  @Test
  void nothingAccruesBeforeDisbursementOrAfterTheLastDueDate() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    assertEquals(List.of(), s.state().loan(loan).orElseThrow().accruedInterest());
    Scenario active = new Scenario();
    Cid running = active.activeLoan();
    // The last installment falls due on 15 January 2027; after it there is no period to accrue in.
    assertEquals(List.of("0.00", "0.00"), accrued(at(active, running, 2027, 3, 1)));
    Money none = Money.zero(Scenario.EUR);
    assertEquals(
        List.of(none, none),
        active.state().loan(running).orElseThrow().at(DAY0.minusDays(1)).accruedInterest());
  }
}
