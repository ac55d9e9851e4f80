package dev.tally.lending.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Components;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LendingRecordTest {
  static final Currency EUR = Currency.of("EUR");
  static final LocalDate DAY = LocalDate.of(2026, 1, 15);
  static final Money TEN_K = Money.parse("10000.00", EUR);
  static final Digest D = Digest.sha256(new byte[] {1});

  static Cid cid(String s) {
    return Cid.v1(DagCbor.CODE, Multihash.sha256(s.getBytes(StandardCharsets.UTF_8)));
  }

  static PartyId party(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    return PartyId.of(Ed25519PrivateKey.fromSeed(s).publicKey());
  }

  /** One record of every kind. */
  static List<LendingRecord> everyKind() {
    Cid loan = cid("loan");
    ContractGrace grace = new ContractGrace(0, 0, 0, 3);
    return List.of(
        LendingRecord.of(
            Optional.empty(),
            DAY,
            new PartyRegistered(List.of("borrower", "lender"), Optional.of("DE"))),
        LendingRecord.of(
            Optional.empty(), DAY, new KycAttested(party(1), D, 2, DAY.plusYears(1), D)),
        LendingRecord.of(Optional.empty(), DAY, new KycRevoked(party(1), D, "expired")),
        LendingRecord.of(
            Optional.empty(),
            DAY,
            new LoanRequested(
                TEN_K,
                12,
                1,
                "working-capital",
                Rate.parsePercent("15"),
                Amortization.EQUAL_INSTALLMENTS,
                DAY.plusDays(30))),
        LendingRecord.of(loan, DAY, new RequestWithdrawn("no-longer-needed")),
        LendingRecord.of(loan, DAY, new RequestRejected("policy")),
        LendingRecord.of(
            loan, DAY, new OfferMade(TEN_K, Rate.parsePercent("12"), DAY.plusDays(10))),
        LendingRecord.of(loan, DAY, new OfferWithdrawn(cid("offer"))),
        LendingRecord.of(
            loan,
            DAY,
            new LoanAgreed(
                TEN_K,
                List.of(
                    new AgreedPart("a", party(2), Money.parse("6000", EUR), cid("o1")),
                    new AgreedPart("b", party(3), Money.parse("4000", EUR), cid("o2"))),
                party(4),
                Rate.parsePercent("12"),
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_INSTALLMENTS,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                1,
                12,
                DAY,
                DAY.plusMonths(1),
                grace,
                "mifos-standard-strategy",
                new ChargeRules(Optional.of(Money.parse("25", EUR)), 5, false),
                DAY.plusDays(7),
                D)),
        LendingRecord.of(loan, DAY, new AgreementCancelled("borrower-request", DAY.plusDays(7))),
        LendingRecord.of(loan, DAY, new Disbursed(TEN_K, D)),
        LendingRecord.of(loan, DAY, new DisbursementReversed(cid("d"), "error")),
        LendingRecord.of(loan, DAY, new RepaymentReceived(Money.parse("888.49", EUR), D)),
        LendingRecord.of(
            loan, DAY, new ChargeApplied("late-fee", "penalty", Money.parse("25", EUR), DAY, 2)),
        LendingRecord.of(loan, DAY, new Waived("interest", Money.parse("1", EUR), DAY.plusDays(7))),
        LendingRecord.of(
            loan,
            DAY,
            new Rescheduled(
                DAY, 6, Optional.of(Rate.parsePercent("6")), grace, DAY.plusDays(7), D)),
        LendingRecord.of(loan, DAY, new DefaultDeclared(DAY, 91, "dpd-90")),
        LendingRecord.of(loan, DAY, new ChargedOff(Components.zero(EUR))),
        LendingRecord.of(
            loan,
            DAY,
            new WrittenOff(Components.zero(EUR).with(Components.Component.PRINCIPAL, TEN_K))),
        LendingRecord.of(loan, DAY, new RecoveryReceived(TEN_K, D)),
        LendingRecord.of(loan, DAY, new CreditBalanceRefunded(TEN_K, D)),
        LendingRecord.of(loan, DAY, new Chargeback(TEN_K, D)),
        LendingRecord.of(Optional.empty(), DAY, new Consent(cid("proposal"))),
        LendingRecord.of(
            loan, DAY, new Reversal(cid("repayment"), "posting-error", DAY.plusDays(7))),
        LendingRecord.of(
            loan,
            DAY,
            new LoanPartTransferred(
                "a",
                "a2",
                party(5),
                Money.parse("3000", EUR),
                Money.parse("2950", EUR),
                DAY,
                "buyer",
                DAY.plusDays(7))));
  }

  @Test
  void everyKindOfRecordsMdRoundTripsThroughCanonicalDagCbor() {
    List<LendingRecord> all = everyKind();
    assertEquals(
        Kinds.names(),
        all.stream()
            .map(LendingRecord::kind)
            .collect(Collectors.toCollection(java.util.TreeSet::new)));
    for (LendingRecord r : all) {
      byte[] bytes = r.bytes();
      LendingRecord back = LendingRecord.decode(bytes);
      assertEquals(r, back, r.kind());
      assertTrue(java.util.Arrays.equals(bytes, back.bytes()), r.kind());
    }
  }

  @Test
  void encodesTheEnvelopeOfRecordsMd() {
    LendingRecord offer = everyKind().get(6);
    IpldMap m = offer.encode();
    assertEquals(
        Set.of("kind", "schema", "loan", "refs", "valueDate", "body"), Set.copyOf(m.keys()));
    assertEquals("OfferMade", m.get("kind").orElseThrow().asString());
    assertEquals("2026-01-15", m.get("valueDate").orElseThrow().asString());
    IpldMap amount = m.get("body").orElseThrow().asMap().get("amount").orElseThrow().asMap();
    assertEquals(1_000_000L, amount.get("minor").orElseThrow().asLong());
    assertEquals("EUR", amount.get("currency").orElseThrow().asString());
  }

  private static RecordFormatException refused(String json) {
    return assertThrows(
        RecordFormatException.class,
        () -> LendingRecord.decode(DagJson.decode(json.getBytes(StandardCharsets.UTF_8))));
  }

  private static final String LOAN = "{\"/\":\"" + cid("loan") + "\"}";

  private static String repayment(String amount) {
    return "{\"kind\":\"RepaymentReceived\",\"schema\":1,\"loan\":"
        + LOAN
        + ",\"refs\":["
        + LOAN
        + "],\"valueDate\":\"2026-02-15\",\"body\":{\"amount\":"
        + amount
        + ",\"reference\":{\"/\":{\"bytes\":\""
        + java.util.Base64.getEncoder().withoutPadding().encodeToString(D.bytes())
        + "\"}}}}";
  }

  @Test
  void acceptsAWellFormedRepaymentFromJson() {
    LendingRecord r =
        LendingRecord.decode(
            DagJson.decode(
                repayment("{\"currency\":\"EUR\",\"minor\":88849}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals(Money.parse("888.49", EUR), ((RepaymentReceived) r.body()).amount());
  }

  @Test
  void refusesADoubleOrAStringWhereAnIntegerAmountBelongs() {
    RecordFormatException string =
        refused(repayment("{\"currency\":\"EUR\",\"minor\":\"888.49\"}"));
    assertTrue(
        string
            .getMessage()
            .contains("minor must be an integer of minor units, found a string (\"888.49\")"),
        string.getMessage());
    RecordFormatException dbl = refused(repayment("{\"currency\":\"EUR\",\"minor\":888.49}"));
    assertTrue(dbl.getMessage().contains("found a float"), dbl.getMessage());
    RecordFormatException gold = refused(repayment("{\"currency\":\"XAU\",\"minor\":1}"));
    assertTrue(gold.getMessage().contains("no minor units"), gold.getMessage());
    RecordFormatException zero = refused(repayment("{\"currency\":\"EUR\",\"minor\":0}"));
    assertTrue(zero.getMessage().contains("must be > 0"), zero.getMessage());
  }

  @Test
  void refusesUnknownKindsFieldsAndSchemas() {
    RecordFormatException kind =
        refused(
            "{\"kind\":\"LoanForgiven\",\"schema\":1,\"valueDate\":\"2026-01-01\",\"body\":{}}");
    assertTrue(
        kind.getMessage().contains("unknown record kind \"LoanForgiven\""), kind.getMessage());
    RecordFormatException field =
        refused(
            repayment("{\"currency\":\"EUR\",\"minor\":1}")
                .replace("\"body\":{", "\"body\":{\"note\":\"paid by John Smith\","));
    assertTrue(
        field.getMessage().contains("unknown field \"note\" in RepaymentReceived body"),
        field.getMessage());
    RecordFormatException top =
        refused(
            repayment("{\"currency\":\"EUR\",\"minor\":1}")
                .replace("\"schema\":1,", "\"schema\":1,\"ip\":\"10.0.0.1\","));
    assertTrue(top.getMessage().contains("unknown field \"ip\""), top.getMessage());
    RecordFormatException schema =
        refused(
            repayment("{\"currency\":\"EUR\",\"minor\":1}")
                .replace("\"schema\":1", "\"schema\":2"));
    assertTrue(schema.getMessage().contains("schema 2 is not supported"), schema.getMessage());
  }

  @Test
  void refusesRefsThatAreNotExactlyTheDependencies() {
    RecordFormatException e =
        refused(
            repayment("{\"currency\":\"EUR\",\"minor\":1}")
                .replace(",\"refs\":[" + LOAN + "]", ""));
    assertTrue(e.getMessage().contains("refs must list exactly"), e.getMessage());
  }

  @Test
  void refusesAMissingLoanAndBadDatesAndFreeTextCodes() {
    RecordFormatException loan =
        refused(
            "{\"kind\":\"RepaymentReceived\",\"schema\":1,\"valueDate\":\"2026-01-01\",\"body\":{}}");
    assertTrue(loan.getMessage().contains("must name their loan"), loan.getMessage());
    RecordFormatException date =
        refused(
            repayment("{\"currency\":\"EUR\",\"minor\":1}").replace("2026-02-15", "15/02/2026"));
    assertTrue(date.getMessage().contains("is not an ISO date"), date.getMessage());
    IpldNode withdrawn = LendingRecord.of(cid("loan"), DAY, new RequestWithdrawn("x")).encode();
    String text =
        withdrawn.toString().replace("\"reason\":\"x\"", "\"reason\":\"Moved to Berlin\"");
    RecordFormatException code = refused(text);
    assertTrue(code.getMessage().contains("is not a code"), code.getMessage());
  }
}
