package dev.tally.lending.state;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.ChargeRules;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.ContractGrace;
import dev.tally.lending.record.Digest;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.OfferMade;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.lending.schedule.ScheduleGenerator;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the entries of a lending log as its parties would write them, one after the other (each
 * entry one Lamport tick after the previous), without a network: the fold judges records, not
 * signatures.
 */
final class Scenario {
  static final Currency EUR = Currency.of("EUR");
  static final LocalDate DAY0 = LocalDate.of(2026, 1, 15);
  static final Digest REF = Digest.sha256(new byte[] {42});

  /** A loan id no request ever made. */
  static final Cid NO_LOAN = Cid.v1(DagCbor.CODE, Multihash.sha256(new byte[] {0}));

  final List<LendingEntry> entries = new ArrayList<>();
  private long time;

  record Actor(byte[] key, PartyId id) {}

  static Actor actor(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = 7;
    Ed25519PrivateKey k = Ed25519PrivateKey.fromSeed(s);
    return new Actor(k.publicKey().raw(), PartyId.of(k.publicKey()));
  }

  final Actor borrower = actor(1);
  final Actor lender1 = actor(2);
  final Actor lender2 = actor(3);
  final Actor lender3 = actor(4);
  final Actor servicer = actor(5);
  final Actor stranger = actor(6);

  static Money eur(String amount) {
    return Money.parse(amount, EUR);
  }

  /** Appends a raw record node by {@code by}; returns the entry CID. */
  Cid appendNode(Actor by, IpldNode record) {
    time++;
    byte[] bytes = DagCbor.encode(IpldNode.list(IpldNode.of(time), IpldNode.of(by.key()), record));
    Cid cid = Cid.v1(DagCbor.CODE, Multihash.sha256(bytes));
    entries.add(new LendingEntry(cid, time, by.key(), record));
    return cid;
  }

  Cid append(Actor by, Optional<Cid> loan, LocalDate date, Body body) {
    return appendNode(by, LendingRecord.of(loan, date, body).encode());
  }

  Cid append(Actor by, Cid loan, LocalDate date, Body body) {
    return append(by, Optional.of(loan), date, body);
  }

  void registerAll() {
    append(
        borrower,
        Optional.empty(),
        DAY0,
        new PartyRegistered(List.of("borrower"), Optional.empty()));
    append(
        lender1, Optional.empty(), DAY0, new PartyRegistered(List.of("lender"), Optional.empty()));
    append(
        lender2, Optional.empty(), DAY0, new PartyRegistered(List.of("lender"), Optional.of("FR")));
    append(
        lender3, Optional.empty(), DAY0, new PartyRegistered(List.of("lender"), Optional.empty()));
    append(
        servicer,
        Optional.empty(),
        DAY0,
        new PartyRegistered(List.of("servicer"), Optional.empty()));
  }

  Cid request() {
    return append(
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
            DAY0.plusDays(30)));
  }

  Cid offer(Actor lender, Cid loan, String amount) {
    return append(
        lender,
        loan,
        DAY0.minusDays(5),
        new OfferMade(eur(amount), Rate.parsePercent("12"), DAY0.plusDays(10)));
  }

  /** The 10,000.00 EUR, 12 %, 12 monthly contract with parts a (6,000) and b (4,000). */
  LoanAgreed contract(Cid offer1, Cid offer2, String partA, String partB) {
    LoanAgreed draft = contract(offer1, offer2, partA, partB, REF);
    Digest hash = ScheduleHash.of(ScheduleGenerator.generate(Terms.of(draft)));
    return contract(offer1, offer2, partA, partB, hash);
  }

  private LoanAgreed contract(Cid offer1, Cid offer2, String partA, String partB, Digest hash) {
    return new LoanAgreed(
        eur("10000.00"),
        List.of(
            new AgreedPart("a", lender1.id(), eur(partA), offer1),
            new AgreedPart("b", lender2.id(), eur(partB), offer2)),
        servicer.id(),
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

  Cid consent(Actor by, Cid loan, Cid proposal, LocalDate date) {
    return append(by, loan, date, new Consent(proposal));
  }

  /** Registers everyone, then requests, offers, agrees (with every consent) and disburses. */
  Cid activeLoan() {
    registerAll();
    Cid loan = request();
    Cid o1 = offer(lender1, loan, "6000.00");
    Cid o2 = offer(lender2, loan, "4000.00");
    Cid agreed = append(servicer, loan, DAY0, contract(o1, o2, "6000.00", "4000.00"));
    for (Actor a : List.of(borrower, lender1, lender2)) {
      consent(a, loan, agreed, DAY0);
    }
    append(servicer, loan, DAY0, new dev.tally.lending.record.Disbursed(eur("10000.00"), REF));
    return loan;
  }

  LendingState state() {
    return LendingFold.fold(entries, List.of());
  }
}
