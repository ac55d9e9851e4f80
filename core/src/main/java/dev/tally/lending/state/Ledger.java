package dev.tally.lending.state;

import dev.tally.lending.record.DisbursementReversed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.Reversal;
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
import java.util.function.Function;

/**
 * One loan while the fold runs: its effective records in the order they took effect, and the book
 * they give. A reversal marks its target and replays the loan without it, so every transition the
 * target caused (and everything that depended on it) is undone exactly.
 */
final class Ledger {
  final Cid id;
  final PartyId borrower;
  final LoanRequested request;
  Book book;
  final List<Event> events = new ArrayList<>();
  final Set<Cid> reversed = new HashSet<>();
  final Set<Cid> reversals = new HashSet<>();
  final TreeMap<LendingEntry, Flagged> flags = new TreeMap<>(LendingEntry.ORDER);
  final Map<Cid, Proposal> pending = new LinkedHashMap<>();
  private LoanState cached;

  Ledger(Cid id, PartyId borrower, LoanRequested request) {
    this.id = id;
    this.borrower = borrower;
    this.request = request;
    this.book = new Book(id, borrower, request);
  }

  void touch() {
    cached = null;
  }

  /** Applies an effective record; an invalid one is flagged and changes nothing. */
  void apply(Event e, Function<PartyId, Set<String>> roles) {
    touch();
    events.add(e);
    if (e.record().body() instanceof Reversal r) {
      reverse(e, r.target(), roles, false);
    } else if (e.record().body() instanceof DisbursementReversed d) {
      reverse(e, d.disbursement(), roles, true);
    } else {
      run(e, roles);
    }
  }

  private void run(Event e, Function<PartyId, Set<String>> roles) {
    Book next = book.copy();
    try {
      Rules.apply(next, e, roles);
      book = next;
    } catch (Invalid x) {
      if (next.status == LoanStatus.WITHDRAWN && book.status == LoanStatus.SUBMITTED) {
        // The record came after the request's expiry: the request lapses even though the record
        // fails.
        book.status = LoanStatus.WITHDRAWN;
      }
      flags.put(e.at(), flag(e, x.getMessage()));
    }
  }

  private Flagged flag(Event e, String reason) {
    return new Flagged(e.entry(), e.record().kind(), Optional.of(id), reason);
  }

  private void reverse(
      Event e, Cid target, Function<PartyId, Set<String>> roles, boolean disbursement) {
    Optional<Event> t = events.stream().filter(x -> x.entry().equals(target)).findFirst();
    String why = null;
    if (t.isEmpty()) {
      why = "it reverses " + target + ", which is not an effective record of this loan";
    } else if (flags.values().stream().anyMatch(f -> f.entry().equals(target))) {
      why = "it reverses " + target + ", which was flagged and never applied";
    } else if (reversed.contains(target)) {
      why = "record " + target + " is already reversed";
    } else if (reversals.contains(target)) {
      why = "a reversal cannot itself be reversed; record a new record instead";
    } else if (disbursement && !t.get().record().kind().equals("Disbursed")) {
      why = "DisbursementReversed reverses a Disbursed record, not " + t.get().record().kind();
    } else if (!disbursement && t.get().record().kind().equals("Disbursed")) {
      why = "disbursements are reversed by DisbursementReversed";
    } else if (disbursement && !book.servicer.map(e.author()::equals).orElse(false)) {
      why = "DisbursementReversed must be signed by the loan's servicer";
    }
    if (why != null) {
      flags.put(e.at(), flag(e, why));
      return;
    }
    reversed.add(target);
    reversals.add(e.entry());
    replay(roles);
  }

  private void replay(Function<PartyId, Set<String>> roles) {
    book = new Book(id, borrower, request);
    flags.keySet().removeIf(at -> !reversalFlag(at));
    for (Event e : events) {
      if (reversed.contains(e.entry())
          || reversals.contains(e.entry())
          || flags.containsKey(e.at())) {
        continue;
      }
      run(e, roles);
    }
  }

  /** Flags of reversals are kept across replays; every other record is judged again. */
  private boolean reversalFlag(LendingEntry at) {
    Flagged f = flags.get(at);
    return f.kind().equals("Reversal") || f.kind().equals("DisbursementReversed");
  }

  LoanState state(LocalDate businessDate) {
    LoanState s = cached;
    if (s == null) {
      Book b = book;
      List<Cid> flagged = new ArrayList<>();
      flags.values().forEach(f -> flagged.add(f.entry()));
      s =
          new LoanState(
              id,
              b.status,
              borrower,
              request,
              b.servicer,
              b.contract,
              b.agreement,
              b.principal,
              b.rate,
              b.disbursed,
              b.disbursedOn,
              b.rows,
              List.copyOf(b.parts.values()),
              b.cashFlows,
              b.transfers,
              b.offers.values().stream().filter(o -> !b.offersTaken.contains(o.entry())).toList(),
              List.copyOf(pending.values()),
              b.credit,
              b.recovered,
              b.defaultOn,
              b.chargedOff,
              flagged,
              b.contract.map(c -> c.grace().arrearsAgeing()).orElse(0),
              businessDate);
      cached = s;
    }
    return s.businessDate().equals(businessDate) ? s : s.at(businessDate);
  }
}
