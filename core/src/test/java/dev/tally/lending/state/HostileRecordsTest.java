package dev.tally.lending.state;

import static dev.tally.lending.state.Scenario.DAY0;
import static dev.tally.lending.state.Scenario.REF;
import static dev.tally.lending.state.Scenario.eur;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.record.RequestWithdrawn;
import dev.tally.multiformats.Cid;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Records forged into the log by a writer (valid entries, invalid records): each is kept and
 * flagged with its reason, and no figure changes.
 */
class HostileRecordsTest {
  private static Map<Cid, String> reasons(LendingState st) {
    return st.flagged().stream().collect(Collectors.toMap(Flagged::entry, Flagged::reason));
  }

  @Test
  void forgedRecordsAreFlaggedWithTheirReasonAndChangeNoFigure() {
    Scenario honest = new Scenario();
    Cid loan = honest.activeLoan();
    LendingState before = honest.state();

    Scenario forged = new Scenario();
    forged.activeLoan();
    Cid unknown =
        forged.append(
            forged.servicer, Scenario.NO_LOAN, DAY0, new RepaymentReceived(eur("100.00"), REF));
    Cid notServicer =
        forged.append(forged.stranger, loan, DAY0, new RepaymentReceived(eur("100.00"), REF));
    Cid byBorrower =
        forged.append(forged.borrower, loan, DAY0, new RepaymentReceived(eur("100.00"), REF));
    Cid wrongCurrency =
        forged.append(
            forged.servicer,
            loan,
            DAY0,
            new RepaymentReceived(
                dev.tally.lending.money.Money.parse(
                    "100", dev.tally.lending.money.Currency.of("USD")),
                REF));
    Cid overDisbursed = forged.append(forged.servicer, loan, DAY0, new Disbursed(eur("0.01"), REF));
    IpldMap good = LendingRecord.of(loan, DAY0, new RepaymentReceived(eur("888.49"), REF)).encode();
    IpldMap body = good.get("body").orElseThrow().asMap();
    IpldNode smuggled =
        replace(
            good,
            "body",
            replace(
                body,
                "amount",
                IpldNode.map().put("currency", "EUR").put("minor", "888.49").build()));
    Cid stringAmount = forged.appendNode(forged.servicer, smuggled);
    Cid floatAmount =
        forged.appendNode(
            forged.servicer,
            replace(
                good,
                "body",
                replace(
                    body,
                    "amount",
                    IpldNode.map()
                        .put("currency", "EUR")
                        .put("minor", IpldNode.of(888.49))
                        .build())));
    LendingState after = forged.state();

    Map<Cid, String> why = reasons(after);
    assertTrue(why.get(unknown).startsWith("unknown loan"), why.get(unknown));
    assertTrue(
        why.get(notServicer).contains("must be signed by the loan's servicer"),
        why.get(notServicer));
    assertTrue(
        why.get(byBorrower).contains("must be signed by the loan's servicer"), why.get(byBorrower));
    assertTrue(
        why.get(wrongCurrency).contains("is not in the loan's currency EUR"),
        why.get(wrongCurrency));
    assertTrue(why.get(overDisbursed).contains("more than the principal"), why.get(overDisbursed));
    assertTrue(
        why.get(stringAmount)
            .contains("must be an integer of minor units, found a string (\"888.49\")"),
        why.get(stringAmount));
    assertTrue(why.get(floatAmount).contains("found a float"), why.get(floatAmount));
    assertEquals(7, after.flagged().size(), after.flagged().toString());

    LoanState a = after.loan(loan).orElseThrow();
    LoanState b = before.loan(loan).orElseThrow();
    assertEquals(b.outstanding(), a.outstanding());
    assertEquals(b.schedule(), a.schedule());
    assertEquals(b.parts(), a.parts());
    assertEquals(b.cashFlows(), a.cashFlows());
    assertEquals(b.status(), a.status());
    assertEquals(b.disbursed(), a.disbursed());
  }

  private static IpldMap replace(IpldMap m, String key, IpldNode value) {
    IpldMap.Builder b = IpldNode.map();
    for (Map.Entry<String, IpldNode> e : m.entries()) {
      b.put(e.getKey(), e.getKey().equals(key) ? value : e.getValue());
    }
    return b.build();
  }

  @Test
  void consentFromANonPartyIsFlaggedAndTheProposalStaysPending() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    Cid o1 = s.offer(s.lender1, loan, "6000.00");
    Cid o2 = s.offer(s.lender2, loan, "4000.00");
    Cid agreed = s.append(s.servicer, loan, DAY0, s.contract(o1, o2, "6000.00", "4000.00"));
    s.consent(s.borrower, loan, agreed, DAY0);
    s.consent(s.lender1, loan, agreed, DAY0);
    Cid intruder = s.consent(s.lender3, loan, agreed, DAY0);
    Cid twice = s.consent(s.lender1, loan, agreed, DAY0);
    LendingState st = s.state();
    assertEquals(LoanStatus.SUBMITTED, st.loan(loan).orElseThrow().status());
    assertTrue(
        reasons(st).get(intruder).contains("is not a party whose consent LoanAgreed"),
        reasons(st).toString());
    assertTrue(reasons(st).containsKey(twice));
    Cid lapsed = s.consent(s.lender2, loan, agreed, DAY0.plusDays(8));
    assertTrue(reasons(s.state()).get(lapsed).contains("lapsed on " + DAY0.plusDays(7)));
    assertEquals(LoanStatus.SUBMITTED, s.state().loan(loan).orElseThrow().status());
  }

  @Test
  void anAgreementWhosePartsDoNotSumIsFlaggedAtOnce() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    Cid o1 = s.offer(s.lender1, loan, "6000.00");
    Cid o2 = s.offer(s.lender2, loan, "4000.00");
    Cid agreed = s.append(s.servicer, loan, DAY0, s.contract(o1, o2, "6000.00", "3999.99"));
    LendingState st = s.state();
    assertEquals(
        "the parts sum to 9999.99 EUR, not the principal 10000.00 EUR", reasons(st).get(agreed));
    assertTrue(st.loan(loan).orElseThrow().pending().isEmpty());
    Cid orphan = s.consent(s.borrower, loan, agreed, DAY0);
    assertTrue(reasons(s.state()).get(orphan).contains("no pending proposal"));
  }

  @Test
  void aDisbursementOnAWithdrawnRequestIsFlagged() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    s.append(s.borrower, loan, DAY0, new RequestWithdrawn("no-longer-needed"));
    assertEquals(400, s.state().loan(loan).orElseThrow().status().code());
    Cid pay = s.append(s.servicer, loan, DAY0, new Disbursed(eur("10000.00"), REF));
    LendingState st = s.state();
    assertEquals(400, st.loan(loan).orElseThrow().status().code());
    assertTrue(
        reasons(st).get(pay).contains("needs an agreed loan")
            || reasons(st).get(pay).contains("status 400"),
        reasons(st).get(pay));
    assertEquals(Optional.of(loan), st.flagged().get(0).loan());
  }

  @Test
  void aRequestLapsesAtItsExpiry() {
    Scenario s = new Scenario();
    s.registerAll();
    Cid loan = s.request();
    Cid late = s.offer(s.lender1, loan, "1000.00");
    assertEquals(100, s.state().loan(loan).orElseThrow().status().code());
    Cid after =
        s.append(
            s.lender1,
            loan,
            DAY0.plusDays(31),
            new dev.tally.lending.record.OfferMade(
                eur("1.00"), dev.tally.lending.money.Rate.parsePercent("1"), DAY0.plusDays(40)));
    LendingState st = s.state();
    assertEquals(400, st.loan(loan).orElseThrow().status().code());
    assertTrue(reasons(st).get(after).contains("the request expired on"));
    assertTrue(!reasons(st).containsKey(late));
  }
}
