package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Components.Component;
import dev.tally.lending.money.LargestRemainder;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.MoneyException;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.AgreedPart;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.schedule.Schedule;
import dev.tally.lending.schedule.ScheduleTerms;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mutable figures of one loan while the fold runs. Copies are shallow (rows and parts are
 * immutable records), so the rules apply each record to a copy and keep it only if the record was
 * valid: an invalid record never changes a figure.
 */
final class Book {
  final Cid id;
  final PartyId borrower;
  final LoanRequested request;
  LoanStatus status = LoanStatus.SUBMITTED;
  Optional<PartyId> servicer = Optional.empty();
  Optional<LoanAgreed> contract = Optional.empty();
  Optional<Cid> agreement = Optional.empty();
  Optional<ScheduleTerms> terms = Optional.empty();
  Optional<Schedule> schedule = Optional.empty();
  Money principal;
  Rate rate;
  Money disbursed;
  Optional<LocalDate> disbursedOn = Optional.empty();
  List<Installment> rows = new ArrayList<>();
  TreeMap<String, Part> parts = new TreeMap<>();
  List<CashFlow> cashFlows = new ArrayList<>();
  List<PartTransfer> transfers = new ArrayList<>();
  Map<Cid, LoanState.Offer> offers = new LinkedHashMap<>();
  Set<Cid> offersTaken = new HashSet<>();
  Money credit;
  Money recovered;
  Optional<LocalDate> defaultOn = Optional.empty();
  boolean chargedOff;
  Set<Integer> lateFees = new HashSet<>();

  Book(Cid id, PartyId borrower, LoanRequested request) {
    this.id = id;
    this.borrower = borrower;
    this.request = request;
    this.principal = request.amount();
    this.rate = request.maxRate();
    Money zero = Money.zero(request.amount().currency());
    this.disbursed = zero;
    this.credit = zero;
    this.recovered = zero;
  }

  Book copy() {
    Book b = new Book(id, borrower, request);
    b.status = status;
    b.servicer = servicer;
    b.contract = contract;
    b.agreement = agreement;
    b.terms = terms;
    b.schedule = schedule;
    b.principal = principal;
    b.rate = rate;
    b.disbursed = disbursed;
    b.disbursedOn = disbursedOn;
    b.rows = new ArrayList<>(rows);
    b.parts = new TreeMap<>(parts);
    b.cashFlows = new ArrayList<>(cashFlows);
    b.transfers = new ArrayList<>(transfers);
    b.offers = new LinkedHashMap<>(offers);
    b.offersTaken = new HashSet<>(offersTaken);
    b.credit = credit;
    b.recovered = recovered;
    b.defaultOn = defaultOn;
    b.chargedOff = chargedOff;
    b.lateFees = new HashSet<>(lateFees);
    return b;
  }

  Components outstanding() {
    Components sum = Components.zero(principal.currency());
    for (Installment i : rows) {
      sum = sum.plus(i.outstanding());
    }
    return sum;
  }

  void requireStatus(String what, LoanStatus... allowed) {
    for (LoanStatus s : allowed) {
      if (status == s) {
        return;
      }
    }
    throw new Invalid(
        what
            + " is not allowed on a loan in status "
            + status.code()
            + " ("
            + status.name().toLowerCase(java.util.Locale.ROOT)
            + ")");
  }

  void requireCurrency(Money m) {
    if (!m.currency().equals(principal.currency())) {
      throw new Invalid("amount " + m + " is not in the loan's currency " + principal.currency());
    }
  }

  PartyId requireServicer(PartyId author, String what) {
    PartyId s = servicer.orElseThrow(() -> new Invalid(what + " needs an agreed loan"));
    if (!s.equals(author)) {
      throw new Invalid(what + " must be signed by the loan's servicer " + s + ", not " + author);
    }
    return s;
  }

  /**
   * Weights for sharing a payment: outstanding principal, else the principal a part started with.
   */
  private long[] weights(List<Part> ps) {
    long[] w = new long[ps.size()];
    boolean any = false;
    for (int i = 0; i < w.length; i++) {
      w[i] = ps.get(i).outstandingPrincipal().minor();
      any |= w[i] > 0;
    }
    if (!any) {
      for (int i = 0; i < w.length; i++) {
        w[i] = ps.get(i).principal().minor();
      }
    }
    return w;
  }

  /**
   * Shares {@code amount} (by component) over the parts by largest remainder, records a cash flow
   * per part and, for principal, lowers each part's outstanding principal.
   */
  void share(Cid entry, LocalDate date, CashFlow.Kind kind, Components amount) {
    if (parts.isEmpty() || amount.isZero()) {
      return;
    }
    List<Part> ps = new ArrayList<>(parts.values());
    long[] w = weights(ps);
    long[][] split = new long[4][];
    Component[] cs = Component.values();
    for (int c = 0; c < 4; c++) {
      split[c] = LargestRemainder.split(amount.get(cs[c]).minor(), w);
    }
    for (int i = 0; i < ps.size(); i++) {
      Part p = ps.get(i);
      Components got = Components.zero(principal.currency());
      for (int c = 0; c < 4; c++) {
        got = got.with(cs[c], Money.of(principal.currency(), split[c][i]));
      }
      if (got.isZero()) {
        continue;
      }
      boolean in = kind == CashFlow.Kind.REPAYMENT || kind == CashFlow.Kind.RECOVERY;
      Money outstandingPrincipal =
          kind == CashFlow.Kind.REPAYMENT
              ? p.outstandingPrincipal().minus(got.principal())
              : kind == CashFlow.Kind.DISBURSEMENT
                  ? p.outstandingPrincipal()
                  : p.outstandingPrincipal();
      parts.put(
          p.id(),
          new Part(
              p.id(),
              p.lender(),
              p.principal(),
              outstandingPrincipal,
              in ? p.received().plus(got) : p.received(),
              p.origin()));
      cashFlows.add(new CashFlow(entry, date, p.id(), p.lender(), kind, got));
    }
  }

  /** Installs the contract: servicer, terms, schedule rows and parts. */
  void agree(Cid entry, LoanAgreed a) {
    Schedule s = Terms.schedule(a);
    if (!ScheduleHash.of(s).equals(a.scheduleHash())) {
      throw new Invalid(
          "scheduleHash does not match the schedule these terms give (" + ScheduleHash.of(s) + ")");
    }
    status = LoanStatus.APPROVED;
    servicer = Optional.of(a.servicer());
    contract = Optional.of(a);
    agreement = Optional.of(entry);
    terms = Optional.of(Terms.of(a));
    schedule = Optional.of(s);
    principal = a.principal();
    rate = a.rate();
    setRows(s, 0);
    parts.clear();
    for (AgreedPart p : a.parts()) {
      parts.put(
          p.part(),
          new Part(
              p.part(),
              p.lender(),
              p.amount(),
              p.amount(),
              Components.zero(principal.currency()),
              Optional.empty()));
      offersTaken.add(p.offer());
    }
  }

  /** Replaces rows from index {@code keep} on with the schedule's, which are not yet paid. */
  void setRows(Schedule s, int keep) {
    List<Installment> out = new ArrayList<>(rows.subList(0, Math.min(keep, rows.size())));
    Components zero = Components.zero(principal.currency());
    for (int i = keep; i < s.rows().size(); i++) {
      var r = s.rows().get(i);
      out.add(
          new Installment(
              r.number(),
              r.from(),
              r.due(),
              new Components(r.principal(), r.interest(), zero.fees(), zero.penalties()),
              zero,
              zero,
              Optional.empty()));
    }
    rows = out;
  }

  /** After money moved: settle the status from what is owed and what is held. */
  void settle() {
    if (status != LoanStatus.ACTIVE
        && status != LoanStatus.CLOSED_OBLIGATIONS_MET
        && status != LoanStatus.OVERPAID) {
      return;
    }
    boolean owes = !outstanding().isZero() || disbursed.compareTo(principal) < 0;
    if (owes) {
      status = LoanStatus.ACTIVE;
    } else {
      status = credit.isPositive() ? LoanStatus.OVERPAID : LoanStatus.CLOSED_OBLIGATIONS_MET;
    }
  }

  static Money checked(java.util.function.Supplier<Money> f) {
    try {
      return f.get();
    } catch (MoneyException e) {
      throw new Invalid(e.getMessage());
    }
  }
}
