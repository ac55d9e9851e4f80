package dev.tally.it.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a loan across daemons that replicate one lending log: a borrower, two lenders and a
 * servicer (plus the lender who later buys a part), each on its own node with its own key, each
 * writing its own records with {@code tally lending ...}. After every step every node's loan book,
 * positions and delinquency (the JSON of their plugin routes) are identical, and a node that joins
 * at the end computes the same from the log alone.
 *
 * <p>Expected figures come from RECORDS.md's vector (10,000.00 EUR, 12 %, 12 monthly: 888.49 a
 * month; interest 100.00, 92.12, 84.15; balances 9,211.51, 8,415.14, 7,610.80; 661.86 in all) and
 * from hand arithmetic on the contract's parts (a 6,000.00, b 4,000.00), written out next to each
 * assertion. None is computed by Tally's code.
 */
class LoanLifeDaemonsTest {
  @TempDir Path temp;

  private final List<LendingNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(LendingNode::close);
  }

  private LendingNode start(String name) {
    LendingNode n = LendingNode.start(temp, name);
    nodes.add(n);
    return n;
  }

  private static TreeSet<String> heads(LendingNode n, String log) {
    TreeSet<String> out = new TreeSet<>();
    n.rpc("log/heads", "arg", log).getJsonArray("Heads").forEach(h -> out.add((String) h));
    return out;
  }

  /** Waits until every node holds exactly the heads of {@code writer}. */
  private void converge(LendingNode writer, String log, String step) throws InterruptedException {
    TreeSet<String> want = heads(writer, log);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (LendingNode n : nodes) {
      while (!heads(n, log).equals(want)) {
        if (System.nanoTime() > end) {
          throw new AssertionError(
              step + ": " + n + " has heads " + heads(n, log) + ", " + writer + " has " + want);
        }
        Thread.sleep(50);
      }
    }
  }

  /** What a node shows of the log: loan book, positions and delinquency, as its routes answer. */
  private static String views(LendingNode n, String loan) {
    StringBuilder b = new StringBuilder();
    for (String route :
        List.of(
            "loan-book/loans",
            "loan-book/loans/" + loan,
            "loan-book/totals",
            "positions/lenders",
            "positions/transfers",
            "delinquency/report",
            "delinquency/loans/" + loan)) {
      b.append(route).append(" = ").append(n.plugin(route)).append('\n');
    }
    return b.toString();
  }

  /**
   * After a step: waits for replication, checks every node shows the same, and returns the loan as
   * the loan book shows it.
   */
  private JsonObject step(LendingNode writer, String log, String loan, String step)
      throws InterruptedException {
    converge(writer, log, step);
    String expected = views(writer, loan);
    for (LendingNode n : nodes) {
      assertEquals(expected, views(n, loan), step + ": " + n + " differs from " + writer);
    }
    JsonObject detail = new JsonObject(writer.plugin("loan-book/loans/" + loan));
    assertEquals(new JsonArray(), detail.getJsonObject("loan").getJsonArray("flagged"), step);
    return detail.getJsonObject("loan");
  }

  private static String amount(JsonObject components, String component) {
    return components.getJsonObject(component).getString("amount");
  }

  private static JsonObject part(JsonObject loan, String id) {
    return loan.getJsonArray("parts").stream()
        .map(JsonObject.class::cast)
        .filter(p -> p.getString("id").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no part " + id + " in " + loan.encode()));
  }

  private static JsonObject delinquency(LendingNode n, String loan) {
    return new JsonObject(n.plugin("delinquency/loans/" + loan)).getJsonObject("loan");
  }

  private static JsonObject lender(LendingNode n, String lender) {
    return new JsonObject(n.plugin("positions/lenders/" + lender));
  }

  @Test
  void aLoansLifeShowsTheSameOnEveryNodeAndToANodeThatJoinsAtTheEnd() throws Exception {
    LendingNode servicer = start("servicer");
    LendingNode borrower = start("borrower");
    LendingNode lender1 = start("lender1");
    LendingNode lender2 = start("lender2");
    // The buyer of a part later on: a lender new to this loan, on its own node.
    LendingNode lender3 = start("lender3");

    String log =
        servicer
            .rpc(
                "log/create",
                "arg",
                "loans",
                "arg",
                borrower.peerId(),
                "arg",
                lender1.peerId(),
                "arg",
                lender2.peerId(),
                "arg",
                lender3.peerId())
            .getString("Log");
    for (LendingNode n : nodes) {
      for (LendingNode other : nodes) {
        if (other != n && other != servicer) {
          n.rpc("swarm/connect", "arg", other.swarmAddress());
        }
      }
      if (n != servicer) {
        n.rpc("log/join", "arg", log, "peer", servicer.swarmAddress());
      }
    }
    servicer.lending("register", log, "--role", "servicer", "--value-date", "2026-01-05").line();
    converge(servicer, log, "servicer registered");
    borrower.lending("register", log, "--role", "borrower", "--value-date", "2026-01-05").line();
    converge(borrower, log, "borrower registered");
    for (LendingNode l : List.of(lender1, lender2, lender3)) {
      l.lending("register", log, "--role", "lender", "--value-date", "2026-01-05").line();
      converge(l, log, l + " registered");
    }

    // 1. The borrower asks for 10,000.00 EUR over 12 months at no more than 15 %.
    String loan =
        borrower
            .lending(
                "request",
                log,
                "--amount",
                "10000.00",
                "--currency",
                "EUR",
                "--periods",
                "12",
                "--max-rate",
                "15",
                "--value-date",
                "2026-01-05")
            .line();
    JsonObject l = step(borrower, log, loan, "requested");
    assertEquals(100, l.getInteger("statusCode"));

    // 2. Two offers: 6,000.00 and 4,000.00 at 12 %.
    String offer1 =
        lender1
            .lending(
                "offer",
                log,
                "--loan",
                loan,
                "--amount",
                "6000.00",
                "--rate",
                "12",
                "--value-date",
                "2026-01-10")
            .line();
    step(lender1, log, loan, "first offer");
    String offer2 =
        lender2
            .lending(
                "offer",
                log,
                "--loan",
                loan,
                "--amount",
                "4000.00",
                "--rate",
                "12",
                "--value-date",
                "2026-01-10")
            .line();
    step(lender2, log, loan, "second offer");

    // 3. The servicer proposes the contract; it takes effect at the last consent.
    String proposal =
        servicer
            .lending(
                "propose",
                log,
                "--loan",
                loan,
                "--part",
                "a=" + offer1,
                "--part",
                "b=" + offer2,
                "--late-fee",
                "25.00",
                "--value-date",
                "2026-01-15")
            .line();
    step(servicer, log, loan, "proposed");
    for (LendingNode party : List.of(borrower, lender1)) {
      party.lending("consent", log, "--proposal", proposal, "--value-date", "2026-01-15").line();
      l = step(party, log, loan, party + " consented");
      assertEquals(100, l.getInteger("statusCode"), "not approved before the last consent");
    }
    lender2.lending("consent", log, "--proposal", proposal, "--value-date", "2026-01-15").line();
    l = step(lender2, log, loan, "last consent");
    assertEquals(200, l.getInteger("statusCode"));
    JsonArray schedule = l.getJsonArray("schedule");
    assertEquals(12, schedule.size());
    assertEquals("2026-02-15", schedule.getJsonObject(0).getString("dueDate"));
    assertEquals("888.49", amount(schedule.getJsonObject(0).getJsonObject("due"), "total"));
    assertEquals("100.00", amount(schedule.getJsonObject(0).getJsonObject("due"), "interest"));
    assertEquals("92.12", amount(schedule.getJsonObject(1).getJsonObject("due"), "interest"));
    assertEquals("84.15", amount(schedule.getJsonObject(2).getJsonObject("due"), "interest"));
    assertEquals("888.47", amount(schedule.getJsonObject(11).getJsonObject("due"), "total"));

    // 4. Disbursement: everything is owed, 10,000.00 principal and 661.86 interest.
    servicer.lending("disburse", log, "--loan", loan, "--value-date", "2026-01-15").line();
    l = step(servicer, log, loan, "disbursed");
    assertEquals(300, l.getInteger("statusCode"));
    assertEquals("10000.00", amount(l.getJsonObject("outstanding"), "principal"));
    assertEquals("661.86", amount(l.getJsonObject("outstanding"), "interest"));
    assertEquals("6000.00", part(l, "a").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals(lender1.peerId(), part(l, "a").getString("lender"));
    assertEquals(lender2.peerId(), part(l, "b").getString("lender"));

    // 5. Two repayments on their due dates.
    servicer
        .lending("repay", log, "--loan", loan, "--amount", "888.49", "--value-date", "2026-02-15")
        .line();
    l = step(servicer, log, loan, "first repayment");
    // Row 1: 100.00 interest, 788.49 principal, shared by outstanding principal 6,000:4,000.
    // Principal: 788.49 × 0.6 = 473.094, × 0.4 = 315.396; floors 473.09 + 315.39 leave one cent
    // for the larger remainder (b's .006): a 473.09, b 315.40.
    assertEquals("9211.51", amount(l.getJsonObject("outstanding"), "principal"));
    assertEquals("5526.91", part(l, "a").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals("3684.60", part(l, "b").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals(0, l.getInteger("daysPastDue"));
    assertEquals("2026-03-15", l.getJsonObject("nextDue").getString("dueDate"));

    servicer
        .lending("repay", log, "--loan", loan, "--amount", "888.49", "--value-date", "2026-03-15")
        .line();
    l = step(servicer, log, loan, "second repayment");
    // Row 2: 796.37 principal over 5,526.91:3,684.60 (of 9,211.51): a 477.8219, b 318.5480;
    // floors 477.82 + 318.54 leave one cent, which goes to b (remainder 0.80 of a cent against
    // 0.19): a 5,526.91 − 477.82 = 5,049.09; b 3,684.60 − 318.55 = 3,366.05.
    assertEquals("8415.14", amount(l.getJsonObject("outstanding"), "principal"));
    assertEquals("5049.09", part(l, "a").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals("3366.05", part(l, "b").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals(0, l.getInteger("daysPastDue"));

    // 6. Row 3 (due 15 April) is not paid. On 20 May the servicer charges the 25.00 late fee: the
    // business date is 20 May, 35 days after 15 April, so the loan moves from "current" to 31-60.
    JsonObject before = delinquency(servicer, loan);
    assertEquals("current", before.getString("bucket"));
    servicer
        .lending("charge", log, "--loan", loan, "--installment", "3", "--value-date", "2026-05-20")
        .line();
    l = step(servicer, log, loan, "late fee");
    assertEquals("25.00", amount(l.getJsonObject("outstanding"), "penalties"));
    assertEquals(35, l.getInteger("daysPastDue"));
    assertEquals("2026-04-15", l.getString("overdueSince"));
    JsonObject late = delinquency(servicer, loan);
    assertEquals(35, late.getInteger("daysPastDue"));
    assertEquals("31-60", late.getString("bucket"));
    JsonObject report = new JsonObject(servicer.plugin("delinquency/report"));
    JsonObject eur = report.getJsonArray("currencies").getJsonObject(0);
    assertEquals("EUR", eur.getString("currency"));
    // PAR30 = 8,415.14 of 8,415.14 outstanding principal (one loan, 35 > 30 days late).
    assertEquals(
        "8415.14",
        eur.getJsonArray("portfolioAtRisk")
            .getJsonObject(0)
            .getJsonObject("atRisk")
            .getString("amount"));
    assertEquals("1.0000", eur.getJsonArray("portfolioAtRisk").getJsonObject(0).getString("ratio"));

    // 7. The late payment: 913.49 = the 25.00 penalty + row 3's 888.49. Row 4 (due 15 May) is
    // now the oldest unpaid: 6 days past due on 21 May, bucket 1-30.
    servicer
        .lending("repay", log, "--loan", loan, "--amount", "913.49", "--value-date", "2026-05-21")
        .line();
    l = step(servicer, log, loan, "late repayment");
    assertEquals("7610.80", amount(l.getJsonObject("outstanding"), "principal"));
    // 661.86 − 100.00 − 92.12 − 84.15 = 385.59 interest left.
    assertEquals("385.59", amount(l.getJsonObject("outstanding"), "interest"));
    assertEquals("0.00", amount(l.getJsonObject("outstanding"), "penalties"));
    assertEquals(6, l.getInteger("daysPastDue"));
    assertEquals("1-30", delinquency(servicer, loan).getString("bucket"));
    // Row 3 principal 804.34 over 5,049.09:3,366.05 (8,415.14): a 482.6022, b 321.7378 → floors
    // 482.60 + 321.73 leave a cent for b: a 4,566.49, b 3,044.31. The penalty 25.00: 15.00/10.00
    // (exactly, at 60:40 to the cent: 2,500 × 504,909 / 841,514 = 1,500.0003).
    assertEquals("4566.49", part(l, "a").getJsonObject("outstandingPrincipal").getString("amount"));
    assertEquals("3044.31", part(l, "b").getJsonObject("outstandingPrincipal").getString("amount"));

    // 8. Lender 1 sells part a whole to lender 3 for 4,500.00; buyer and servicer consent.
    String sale =
        lender1
            .lending(
                "transfer-part",
                log,
                "--loan",
                loan,
                "--part",
                "a",
                "--buyer",
                lender3.peerId(),
                "--price",
                "4500.00",
                "--value-date",
                "2026-05-22")
            .line();
    l = step(lender1, log, loan, "sale proposed");
    assertEquals(lender1.peerId(), part(l, "a").getString("lender"), "not sold before consents");
    lender3.lending("consent", log, "--proposal", sale, "--value-date", "2026-05-22").line();
    step(lender3, log, loan, "buyer consented");
    servicer.lending("consent", log, "--proposal", sale, "--value-date", "2026-05-22").line();
    l = step(servicer, log, loan, "sold");
    assertEquals(lender3.peerId(), part(l, "a").getString("lender"));
    assertEquals("4566.49", part(l, "a").getJsonObject("outstandingPrincipal").getString("amount"));
    JsonObject buyer = lender(servicer, lender3.peerId());
    assertEquals(1, buyer.getJsonArray("parts").size());
    assertEquals(
        "4566.49",
        buyer
            .getJsonArray("parts")
            .getJsonObject(0)
            .getJsonObject("outstandingPrincipal")
            .getString("amount"));
    // Accrued on 22 May: row 5 runs 15 May to 15 June (31 days), interest 67.98; 7 days give
    // 67.98 × 7 / 31 = 15.350 → 15.35, shared 4,566.49:3,044.31: 9.21002 and 6.13998 → floors
    // 9.21 + 6.13 leave a cent for b (remainder .998 against .002): a 9.21, b 6.14.
    assertEquals(
        "9.21",
        buyer
            .getJsonArray("parts")
            .getJsonObject(0)
            .getJsonObject("accruedInterest")
            .getString("amount"));
    assertEquals(
        "6.14",
        lender(servicer, lender2.peerId())
            .getJsonArray("parts")
            .getJsonObject(0)
            .getJsonObject("accruedInterest")
            .getString("amount"));
    JsonObject sold = buyer.getJsonArray("transfers").getJsonObject(0);
    assertEquals(lender1.peerId(), sold.getString("seller"));
    assertEquals(lender3.peerId(), sold.getString("buyer"));
    assertEquals("4500.00", sold.getJsonObject("price").getString("amount"));
    assertEquals("4566.49", sold.getJsonObject("principal").getString("amount"));
    assertEquals(0, lender(servicer, lender1.peerId()).getJsonArray("parts").size());

    // 9. Early payoff of everything outstanding: 7,610.80 principal + 385.59 interest.
    servicer
        .lending("repay", log, "--loan", loan, "--amount", "7996.39", "--value-date", "2026-05-25")
        .line();
    l = step(servicer, log, loan, "paid off");
    assertEquals(600, l.getInteger("statusCode"));
    assertEquals("0.00", amount(l.getJsonObject("outstanding"), "total"));
    assertTrue(l.getJsonObject("nextDue") == null, l.encode());
    // Part a (lender 3) gets principal 4,566.49 and interest 385.59 × 4,566.49 / 7,610.80 =
    // 231.3500... → 231.35; part b (lender 2) 3,044.31 and 154.24.
    JsonObject newLender = lender(servicer, lender3.peerId());
    JsonObject payoff =
        newLender.getJsonArray("cashFlows").stream()
            .map(JsonObject.class::cast)
            .filter(f -> f.getString("kind").equals("repayment"))
            .findFirst()
            .orElseThrow();
    assertEquals("4566.49", amount(payoff.getJsonObject("amount"), "principal"));
    assertEquals("231.35", amount(payoff.getJsonObject("amount"), "interest"));
    JsonObject l2 = lender(servicer, lender2.peerId()).getJsonArray("parts").getJsonObject(0);
    // Lender 2's part b received, over the whole life: principal 4,000.00; interest 40.00 + 36.85
    // + 33.66 + 154.24 = 264.75; penalties 10.00.
    assertEquals("4000.00", amount(l2.getJsonObject("received"), "principal"));
    assertEquals("264.75", amount(l2.getJsonObject("received"), "interest"));
    assertEquals("10.00", amount(l2.getJsonObject("received"), "penalties"));
    assertEquals("0.00", l2.getJsonObject("outstandingPrincipal").getString("amount"));

    // 10. A node that was never part of the story joins now and computes the same from the log.
    LendingNode auditor = start("auditor");
    auditor.rpc("log/join", "arg", log, "peer", servicer.swarmAddress());
    step(servicer, log, loan, "auditor joined");
    JsonObject verified = auditor.rpc("log/verify", "arg", log);
    assertTrue(verified.getBoolean("Ok"), verified.encode());
  }
}
