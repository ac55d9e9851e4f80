package dev.tally.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.ChargeRules;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.ContractGrace;
import dev.tally.lending.record.Digest;
import dev.tally.lending.record.Disbursed;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.OfferMade;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.record.RepaymentReceived;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.lending.state.ScheduleHash;
import dev.tally.lending.state.Terms;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.source.LogLendingSource;
import dev.tally.plugin.spi.log.VerifiedEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in plugins over a real signed log folded by the node's lending rules: the RECORDS.md
 * vector loan (10,000.00 EUR, 12 %, 12 monthly, parts a 6,000 and b 4,000), disbursed and repaid
 * once, then a repayment forged by a lender. Expected figures come from RECORDS.md: installment
 * 888.49 (interest 100.00, 92.12), parts sharing by largest remainder.
 */
class LendingPluginsTest {
  private static final Currency EUR = Currency.of("EUR");
  private static final LocalDate DAY0 = LocalDate.of(2026, 1, 15);
  private static final Digest REF = Digest.of(filled(42));

  @TempDir Path temp;

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  private final Ed25519PrivateKey borrower = Ed25519PrivateKey.fromSeed(filled(1));
  private final Ed25519PrivateKey lender1 = Ed25519PrivateKey.fromSeed(filled(2));
  private final Ed25519PrivateKey lender2 = Ed25519PrivateKey.fromSeed(filled(3));
  private final Ed25519PrivateKey servicer = Ed25519PrivateKey.fromSeed(filled(4));
  private final Log log =
      Log.create(
          LogManifest.create(
              "lending",
              1,
              List.of(
                  borrower.publicKey(),
                  lender1.publicKey(),
                  lender2.publicKey(),
                  servicer.publicKey()),
              0,
              List.of()),
          new MemoryBlockstore());

  private static Money eur(String amount) {
    return Money.parse(amount, EUR);
  }

  private static PartyId party(Ed25519PrivateKey k) {
    return PartyId.of(k.publicKey());
  }

  private Entry append(Ed25519PrivateKey by, Optional<Cid> loan, LocalDate date, Body body) {
    return log.append(LendingRecord.of(loan, date, body).encode(), by);
  }

  private LoanAgreed contract(Cid offer1, Cid offer2, Digest hash) {
    return new LoanAgreed(
        eur("10000.00"),
        List.of(
            new AgreedPart("a", party(lender1), eur("6000.00"), offer1),
            new AgreedPart("b", party(lender2), eur("4000.00"), offer2)),
        party(servicer),
        Rate.parsePercent("12"),
        InterestMethod.DECLINING_BALANCE,
        Amortization.EQUAL_INSTALLMENTS,
        InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
        DaysInYear.ACTUAL,
        DaysInMonth.ACTUAL,
        1,
        12,
        DAY0,
        DAY0.plusMonths(1),
        new ContractGrace(0, 0, 0, 0),
        "mifos-standard-strategy",
        new ChargeRules(Optional.of(eur("25.00")), 5, false),
        DAY0.plusDays(7),
        hash);
  }

  /** Writes the loan's life up to one repayment; returns the loan id. */
  private Cid lifeUpToOneRepayment() {
    for (var p :
        List.of(
            List.of(borrower, "borrower"),
            List.of(lender1, "lender"),
            List.of(lender2, "lender"),
            List.of(servicer, "servicer"))) {
      append(
          (Ed25519PrivateKey) p.get(0),
          Optional.empty(),
          DAY0,
          new PartyRegistered(List.of((String) p.get(1)), Optional.empty()));
    }
    Cid loan =
        append(
                borrower,
                Optional.empty(),
                DAY0.minusDays(10),
                new LoanRequested(
                    eur("10000.00"),
                    12,
                    1,
                    "working-capital",
                    Rate.parsePercent("15"),
                    Amortization.EQUAL_INSTALLMENTS,
                    DAY0.plusDays(30)))
            .cid();
    Cid o1 = append(lender1, Optional.of(loan), DAY0.minusDays(5), offer("6000.00")).cid();
    Cid o2 = append(lender2, Optional.of(loan), DAY0.minusDays(5), offer("4000.00")).cid();
    LoanAgreed draft = contract(o1, o2, REF);
    LoanAgreed agreed =
        contract(o1, o2, ScheduleHash.of(ScheduleGenerator.generate(Terms.of(draft))));
    Cid proposal = append(servicer, Optional.of(loan), DAY0, agreed).cid();
    for (Ed25519PrivateKey k : List.of(borrower, lender1, lender2)) {
      append(k, Optional.of(loan), DAY0, new Consent(proposal));
    }
    append(servicer, Optional.of(loan), DAY0, new Disbursed(eur("10000.00"), REF));
    append(
        servicer, Optional.of(loan), DAY0.plusMonths(1), new RepaymentReceived(eur("888.49"), REF));
    return loan;
  }

  private static OfferMade offer(String amount) {
    return new OfferMade(eur(amount), Rate.parsePercent("12"), DAY0.plusDays(10));
  }

  private static String amount(JsonObject money) {
    return money.getString("amount");
  }

  @Test
  void theLoanBookPositionsAndDelinquencyShowTheFoldedFiguresAtTheirHeads() throws Exception {
    Cid loan = lifeUpToOneRepayment();
    // A repayment posted by a lender (not the servicer): kept in the log, flagged, not applied.
    Entry forged =
        append(
            lender1,
            Optional.of(loan),
            LocalDate.of(2026, 3, 1),
            new RepaymentReceived(eur("500.00"), REF));
    PluginOptions options =
        PluginOptions.defaults(temp.resolve("plugins")).inMemory().withClasspath(true);
    LogLendingSource source = new LogLendingSource(() -> Optional.of(log), 50);
    try (PluginHost host = PluginHost.start(options, source);
        PluginServer http = new PluginServer(host)) {
      JsonObject body = new JsonObject(http.get("/plugins/loan-book/loans/" + loan).body());
      assertEquals(
          new JsonArray(log.heads().stream().map(Cid::toString).toList()),
          body.getJsonArray("heads"));
      assertEquals("2026-03-01", body.getString("businessDate"));
      JsonObject l = body.getJsonObject("loan");
      assertEquals("active", l.getString("status"));
      assertEquals(party(borrower).toString(), l.getString("borrower"));
      JsonArray schedule = l.getJsonArray("schedule");
      assertEquals(12, schedule.size());
      JsonObject first = schedule.getJsonObject(0);
      assertEquals("888.49", amount(first.getJsonObject("due").getJsonObject("total")));
      assertEquals("100.00", amount(first.getJsonObject("due").getJsonObject("interest")));
      assertTrue(first.getBoolean("settled"));
      assertEquals(
          "92.12",
          amount(schedule.getJsonObject(1).getJsonObject("due").getJsonObject("interest")));
      JsonObject next = l.getJsonObject("nextDue");
      assertEquals(2, next.getInteger("number"));
      assertEquals("2026-03-15", next.getString("dueDate"));
      assertEquals("888.49", amount(next.getJsonObject("amount")));
      assertEquals(0, l.getInteger("daysPastDue"));
      // 10,000.00 less the 788.49 of principal repaid.
      assertEquals("9211.51", amount(l.getJsonObject("outstanding").getJsonObject("principal")));
      assertEquals(new JsonArray(List.of(forged.cid().toString())), l.getJsonArray("flagged"));

      // Parts: 788.49 split 6:4 by largest remainder is 473.09 + 315.40; 100.00 is 60 + 40.
      JsonObject a =
          new JsonObject(http.get("/plugins/positions/lenders/" + party(lender1)).body());
      JsonObject partA = a.getJsonArray("parts").getJsonObject(0);
      assertEquals("a", partA.getString("part"));
      assertEquals("5526.91", amount(partA.getJsonObject("outstandingPrincipal")));
      assertEquals("473.09", amount(partA.getJsonObject("received").getJsonObject("principal")));
      assertEquals("60.00", amount(partA.getJsonObject("received").getJsonObject("interest")));
      // Accrued at 1 March: 14 of installment 2's 28 days of 92.12, split 5,526.91 : 3,684.60.
      assertEquals("27.64", amount(partA.getJsonObject("accruedInterest")));
      JsonObject b =
          new JsonObject(http.get("/plugins/positions/lenders/" + party(lender2)).body());
      JsonObject partB = b.getJsonArray("parts").getJsonObject(0);
      assertEquals("3684.60", amount(partB.getJsonObject("outstandingPrincipal")));
      assertEquals("315.40", amount(partB.getJsonObject("received").getJsonObject("principal")));
      assertEquals("18.42", amount(partB.getJsonObject("accruedInterest")));
      assertEquals(
          List.of("disbursement", "repayment"),
          b.getJsonArray("cashFlows").stream()
              .map(o -> ((JsonObject) o).getString("kind"))
              .toList());

      // Time passes (a record dated 20 April): installment 2, due 15 March, is 36 days late.
      append(
          servicer,
          Optional.empty(),
          LocalDate.of(2026, 4, 20),
          new PartyRegistered(List.of("servicer"), Optional.empty()));
      JsonObject report =
          new JsonObject(http.get("/plugins/delinquency/report").body())
              .getJsonArray("currencies")
              .getJsonObject(0);
      assertEquals(
          1,
          report.getJsonArray("buckets").stream()
              .map(JsonObject.class::cast)
              .filter(x -> x.getString("bucket").equals("31-60"))
              .findFirst()
              .orElseThrow()
              .getInteger("loans"));
      assertEquals(
          "1.0000", report.getJsonArray("portfolioAtRisk").getJsonObject(0).getString("ratio"));
      assertEquals(
          "0.0000", report.getJsonArray("portfolioAtRisk").getJsonObject(1).getString("ratio"));
      JsonObject late =
          new JsonObject(http.get("/plugins/delinquency/loans/" + loan).body())
              .getJsonObject("loan");
      assertEquals(36, late.getInteger("daysPastDue"));
    }
  }

  @Test
  void subscriptionsCarryTheLendingRulesFlag() throws Exception {
    Cid loan = lifeUpToOneRepayment();
    Entry forged =
        append(
            lender1,
            Optional.of(loan),
            DAY0.plusMonths(1),
            new RepaymentReceived(eur("1.00"), REF));
    LogLendingSource source = new LogLendingSource(() -> Optional.of(log), 50);
    List<VerifiedEntry> all = source.entriesAfter(dev.tally.plugin.spi.log.Heads.NONE).toList();
    assertEquals(log.size(), all.size());
    VerifiedEntry f = all.get(all.size() - 1);
    assertEquals(forged.cid().toString(), f.cid());
    assertEquals("RepaymentReceived", f.kind());
    assertEquals(Optional.of(loan.toString()), f.loan());
    assertTrue(f.flag().isPresent());
    assertTrue(all.stream().filter(e -> !e.cid().equals(f.cid())).allMatch(VerifiedEntry::applied));
    source.close();
  }
}
