package dev.tally.lending.state;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.Body;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.Kinds;
import dev.tally.lending.record.KycAttested;
import dev.tally.lending.record.KycRevoked;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.PartyRegistered;
import dev.tally.lending.record.RecordFormatException;
import dev.tally.lending.record.Reversal;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fold from verified log entries to {@link LendingState}. Entries are applied in the log's
 * total order ({@link LendingEntry#ORDER}); one that arrives out of that order (a join brought an
 * older concurrent entry) makes the fold replay everything, so the state depends only on the set of
 * entries, never on the order they arrived in. Appending in order costs one record's work.
 *
 * <p>Not thread-safe: one writer folds; {@link #state} hands out immutable snapshots.
 */
public final class LendingFold {
  private final List<LendingEntry> entries = new ArrayList<>();
  private final Set<Cid> seen = new HashSet<>();
  private Map<PartyId, Set<String>> parties = new HashMap<>();
  private Map<Cid, Ledger> loans = new HashMap<>();
  private Map<Cid, Ledger> proposals = new HashMap<>();
  private Map<Cid, Event> proposalEvents = new HashMap<>();
  private TreeMap<Long, Flagged> flags = new TreeMap<>();
  private LocalDate businessDate = LocalDate.EPOCH;
  private long seq;
  // Deriving a party id validates the key as a curve point; a log has few authors and many entries.
  private final Map<java.nio.ByteBuffer, PartyId> authors = new HashMap<>();

  /** The state of exactly {@code entries} (any order), reflecting {@code heads}. */
  public static LendingState fold(Collection<LendingEntry> entries, List<Cid> heads) {
    LendingFold f = new LendingFold();
    f.addAll(entries);
    return f.state(heads);
  }

  /** Adds entries (any order); entries already folded are ignored. */
  public void addAll(Collection<LendingEntry> batch) {
    List<LendingEntry> sorted = new ArrayList<>(batch);
    sorted.sort(LendingEntry.ORDER);
    for (LendingEntry e : sorted) {
      add(e);
    }
  }

  /** Adds one entry; an entry already folded is ignored. */
  public void add(LendingEntry e) {
    if (!seen.add(e.cid())) {
      return;
    }
    if (entries.isEmpty() || LendingEntry.ORDER.compare(e, entries.get(entries.size() - 1)) > 0) {
      entries.add(e);
      apply(e);
      return;
    }
    int at = java.util.Collections.binarySearch(entries, e, LendingEntry.ORDER);
    entries.add(-at - 1, e);
    replay();
  }

  /** How many entries were folded. */
  public long size() {
    return entries.size();
  }

  private void replay() {
    parties = new HashMap<>();
    loans = new HashMap<>();
    proposals = new HashMap<>();
    proposalEvents = new HashMap<>();
    flags = new TreeMap<>();
    businessDate = LocalDate.EPOCH;
    seq = 0;
    for (LendingEntry e : entries) {
      apply(e);
    }
  }

  private Set<String> roles(PartyId p) {
    return parties.getOrDefault(p, Set.of());
  }

  private void flag(long at, Cid entry, String kind, Optional<Cid> loan, String reason) {
    flags.put(at, new Flagged(entry, kind, loan, reason));
  }

  private void apply(LendingEntry e) {
    long at = seq++;
    IpldNode node = e.record();
    LendingRecord r;
    try {
      r = LendingRecord.decode(node);
    } catch (RecordFormatException x) {
      String kind = kindOf(node);
      if (!Kinds.LOG_KINDS.contains(kind)) {
        flag(at, e.cid(), kind, Optional.empty(), x.getMessage());
      }
      return;
    }
    if (r.valueDate().isAfter(businessDate)) {
      businessDate = r.valueDate();
    }
    PartyId author = authors.computeIfAbsent(java.nio.ByteBuffer.wrap(e.author()), k -> e.party());
    Event ev = new Event(e.cid(), at, author, r, Set.of(author));
    Body body = r.body();
    if (body instanceof PartyRegistered p) {
      if (parties.containsKey(author)) {
        flag(at, e.cid(), r.kind(), r.loan(), "party " + author + " is already registered");
      } else {
        parties.put(author, Set.copyOf(p.roles()));
      }
    } else if (body instanceof KycAttested k) {
      attest(at, ev, k.subject());
    } else if (body instanceof KycRevoked k) {
      attest(at, ev, k.subject());
    } else if (body instanceof LoanRequested q) {
      request(at, e, r, q, author);
    } else if (body instanceof Consent c) {
      consent(at, ev, c);
    } else {
      Cid loanId = r.loan().orElseThrow();
      Ledger l = loans.get(loanId);
      if (l == null) {
        flag(at, e.cid(), r.kind(), r.loan(), "unknown loan " + loanId);
        return;
      }
      Optional<Set<PartyId>> required = Proposals.required(l, ev);
      if (required.isEmpty()) {
        l.apply(ev, this::roles);
      } else {
        propose(at, l, ev, required.get());
      }
    }
  }

  private void request(long at, LendingEntry e, LendingRecord r, LoanRequested q, PartyId author) {
    if (!roles(author).contains("borrower")) {
      flag(
          at,
          e.cid(),
          r.kind(),
          Optional.empty(),
          "LoanRequested needs the borrower role; party " + author + " has " + roles(author));
    } else if (q.expiry().isBefore(r.valueDate())) {
      flag(
          at,
          e.cid(),
          r.kind(),
          Optional.empty(),
          "the request expires on " + q.expiry() + ", before its value date");
    } else {
      loans.put(e.cid(), new Ledger(e.cid(), author, q));
    }
  }

  private static String kindOf(IpldNode node) {
    if (node.kind() == IpldNode.Kind.MAP) {
      Optional<IpldNode> k = node.asMap().get("kind");
      if (k.isPresent() && k.get().kind() == IpldNode.Kind.STRING) {
        return k.get().asString();
      }
    }
    return "?";
  }

  private void attest(long at, Event ev, PartyId subject) {
    String kind = ev.record().kind();
    if (!roles(ev.author()).contains("attestor")) {
      flag(at, ev.entry(), kind, Optional.empty(), kind + " needs the attestor role");
    } else if (!parties.containsKey(subject)) {
      flag(
          at,
          ev.entry(),
          kind,
          Optional.empty(),
          "subject " + subject + " is not a registered party");
    }
  }

  private void propose(long at, Ledger l, Event ev, Set<PartyId> required) {
    String kind = ev.record().kind();
    if (!required.contains(ev.author())) {
      flag(
          at,
          ev.entry(),
          kind,
          Optional.of(l.id),
          "author "
              + ev.author()
              + " is not a party that must sign this "
              + kind
              + "; those are "
              + required);
      return;
    }
    if (!(ev.record().body() instanceof Reversal)) {
      try {
        Rules.apply(l.book.copy(), ev, this::roles);
      } catch (Invalid x) {
        flag(at, ev.entry(), kind, Optional.of(l.id), x.getMessage());
        return;
      }
    }
    Set<PartyId> awaiting = new LinkedHashSet<>(required);
    awaiting.remove(ev.author());
    if (awaiting.isEmpty()) {
      l.apply(ev, this::roles);
      return;
    }
    l.touch();
    l.pending.put(
        ev.entry(),
        new Proposal(ev.entry(), kind, ev.author(), awaiting, Proposals.expiry(ev.record())));
    proposals.put(ev.entry(), l);
    proposalEvents.put(ev.entry(), ev);
  }

  private void consent(long at, Event ev, Consent c) {
    Ledger l = proposals.get(c.proposal());
    Optional<Cid> loan = ev.record().loan();
    if (l == null) {
      flag(at, ev.entry(), "Consent", loan, "no pending proposal " + c.proposal());
      return;
    }
    if (loan.isPresent() && !loan.get().equals(l.id)) {
      flag(
          at,
          ev.entry(),
          "Consent",
          loan,
          "proposal " + c.proposal() + " is about loan " + l.id + ", not " + loan.get());
      return;
    }
    Proposal p = l.pending.get(c.proposal());
    if (!p.awaiting().contains(ev.author())) {
      flag(
          at,
          ev.entry(),
          "Consent",
          Optional.of(l.id),
          "party "
              + ev.author()
              + " is not a party whose consent "
              + p.kind()
              + " "
              + c.proposal()
              + " awaits");
      return;
    }
    if (ev.record().valueDate().isAfter(p.expiry())) {
      flag(
          at,
          ev.entry(),
          "Consent",
          Optional.of(l.id),
          "proposal " + c.proposal() + " lapsed on " + p.expiry());
      return;
    }
    Set<PartyId> awaiting = new LinkedHashSet<>(p.awaiting());
    awaiting.remove(ev.author());
    Event proposal = proposalEvents.get(c.proposal());
    Set<PartyId> signers = new HashSet<>(proposal.signers());
    signers.add(ev.author());
    l.touch();
    if (!awaiting.isEmpty()) {
      l.pending.put(
          c.proposal(), new Proposal(p.entry(), p.kind(), p.proposer(), awaiting, p.expiry()));
      proposalEvents.put(
          c.proposal(),
          new Event(
              proposal.entry(), proposal.seq(), proposal.author(), proposal.record(), signers));
      return;
    }
    l.pending.remove(c.proposal());
    proposals.remove(c.proposal());
    proposalEvents.remove(c.proposal());
    // Effective at the last consent: its position in the log orders it among the loan's records.
    l.apply(
        new Event(proposal.entry(), at, proposal.author(), proposal.record(), signers),
        this::roles);
  }

  /** The state now, reflecting {@code heads} (the caller's heads of the log folded). */
  public LendingState state(List<Cid> heads) {
    TreeMap<Cid, LoanState> out = new TreeMap<>();
    TreeMap<Long, Flagged> all = new TreeMap<>(flags);
    for (Ledger l : loans.values()) {
      out.put(l.id, l.state(businessDate));
      all.putAll(l.flags);
    }
    return new LendingState(
        heads, businessDate, entries.size(), out, parties, List.copyOf(all.values()));
  }

  /** One loan's state now, without building the whole state. */
  public Optional<LoanState> loan(Cid id) {
    Ledger l = loans.get(id);
    return l == null ? Optional.empty() : Optional.of(l.state(businessDate));
  }

  /** The latest value date folded. */
  public LocalDate businessDate() {
    return businessDate;
  }
}
