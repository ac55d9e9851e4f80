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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fold from verified log entries to {@link LendingState}. Entries are applied in the log's
 * total order ({@link LendingEntry#ORDER}), so the state depends only on the set of entries, never
 * on the order they arrived in. Appending in order costs one record's work.
 *
 * <p>An entry that arrives out of that order (a join brought an older concurrent entry) replays
 * only what it can change. Every record but a registration is about one loan (its scope: the
 * request, the records naming the loan, the consents to its proposals), and records of different
 * loans commute: a loan's ledger reads nothing of another loan, roles are looked up as of each
 * entry's position, and flags are keyed by position. So a late record replays its own loan's
 * records from scratch (tens of records, not the whole log), or costs one record when nothing of
 * its loan sorts after it. A late {@code PartyRegistered} can change the roles behind records of
 * any loan, so it replays everything; registrations come first in a log's life and are rare.
 *
 * <p>Not thread-safe: one writer folds; {@link #state} hands out immutable snapshots.
 */
public final class LendingFold {
  /** An entry of a loan's scope with its decoded record (decoded once, replayed many times). */
  private record Scoped(LendingEntry entry, LendingRecord record) {}

  private final List<LendingEntry> entries = new ArrayList<>();
  private final Set<Cid> seen = new HashSet<>();
  private Map<Cid, List<Scoped>> scopes = new HashMap<>();
  // The loan of every scoped entry, so a consent finds the loan of the proposal it names.
  private Map<Cid, Cid> entryScope = new HashMap<>();
  // Consents naming an entry the fold has not seen (yet): flagged; adopted if it arrives before.
  private Map<Cid, List<LendingEntry>> orphans = new HashMap<>();
  private Map<PartyId, Set<String>> parties = new HashMap<>();
  private Map<PartyId, LendingEntry> registeredAt = new HashMap<>();
  private Map<Cid, Ledger> loans = new HashMap<>();
  private Map<Cid, Ledger> proposals = new HashMap<>();
  private Map<Cid, Event> proposalEvents = new HashMap<>();
  // Flags of entries about no loan, and of entries about a loan that its ledger does not hold.
  private TreeMap<LendingEntry, Flagged> flags = new TreeMap<>(LendingEntry.ORDER);
  private Map<Cid, TreeMap<LendingEntry, Flagged>> scopeFlags = new HashMap<>();
  private LocalDate businessDate = LocalDate.EPOCH;
  private long applied;
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
    boolean tail =
        entries.isEmpty() || LendingEntry.ORDER.compare(e, entries.get(entries.size() - 1)) > 0;
    if (tail) {
      entries.add(e);
    } else {
      entries.add(-Collections.binarySearch(entries, e, LendingEntry.ORDER) - 1, e);
    }
    fold(e, tail);
  }

  /** How many entries were folded. */
  public long size() {
    return entries.size();
  }

  /** How many times a record was applied so far, replays included (what a late entry cost). */
  long applied() {
    return applied;
  }

  private void fold(LendingEntry e, boolean tail) {
    LendingRecord r;
    try {
      r = LendingRecord.decode(e.record());
    } catch (RecordFormatException x) {
      String kind = kindOf(e.record());
      if (!Kinds.LOG_KINDS.contains(kind)) {
        flags.put(e, new Flagged(e.cid(), kind, Optional.empty(), x.getMessage()));
      }
      return;
    }
    if (r.valueDate().isAfter(businessDate)) {
      businessDate = r.valueDate();
    }
    if (!tail && r.body() instanceof PartyRegistered) {
      replay();
      return;
    }
    Optional<Cid> scope = scopeOf(e, r);
    if (scope.isEmpty()) {
      if (r.body() instanceof Consent c) {
        orphans.computeIfAbsent(c.proposal(), k -> new ArrayList<>(1)).add(e);
      }
      applyUnscoped(e, r);
      return;
    }
    Cid loan = scope.get();
    entryScope.put(e.cid(), loan);
    List<Scoped> list = scopes.computeIfAbsent(loan, k -> new ArrayList<>(8));
    Scoped s = new Scoped(e, r);
    boolean last =
        list.isEmpty() || LendingEntry.ORDER.compare(e, list.get(list.size() - 1).entry()) > 0;
    if (last) {
      list.add(s);
    } else {
      list.add(-Collections.binarySearch(list, s, BY_ENTRY) - 1, s);
    }
    boolean adopted = adopt(e, loan);
    if (last && !adopted) {
      // Nothing of this loan sorts after it, and other loans commute with it: apply it alone.
      applyScoped(e, r, loan);
    } else {
      replayScope(loan);
    }
  }

  private static final java.util.Comparator<Scoped> BY_ENTRY =
      (a, b) -> LendingEntry.ORDER.compare(a.entry(), b.entry());

  /**
   * The loan an entry is about: a request its own, a consent its proposal's, any other loan record
   * the loan it names; registrations and attestations are about none.
   */
  private Optional<Cid> scopeOf(LendingEntry e, LendingRecord r) {
    Body body = r.body();
    if (body instanceof LoanRequested) {
      return Optional.of(e.cid());
    }
    if (body instanceof Consent c) {
      return Optional.ofNullable(entryScope.get(c.proposal()));
    }
    if (body instanceof PartyRegistered
        || body instanceof KycAttested
        || body instanceof KycRevoked) {
      return Optional.empty();
    }
    return r.loan();
  }

  /**
   * Consents that named {@code e} before the fold had it: those sorting after it belong to its loan
   * now (their flag goes; the loan's replay judges them again). True when any did.
   */
  private boolean adopt(LendingEntry e, Cid loan) {
    List<LendingEntry> waiting = orphans.remove(e.cid());
    if (waiting == null) {
      return false;
    }
    boolean any = false;
    List<Scoped> list = scopes.get(loan);
    for (LendingEntry c : waiting) {
      if (LendingEntry.ORDER.compare(c, e) < 0) {
        continue; // at its position the proposal did not exist yet: it stays flagged
      }
      flags.remove(c);
      entryScope.put(c.cid(), loan);
      Scoped s = new Scoped(c, LendingRecord.decode(c.record()));
      list.add(-Collections.binarySearch(list, s, BY_ENTRY) - 1, s);
      any = true;
    }
    return any;
  }

  /** Judges a loan's scope again from its request, as if its entries had arrived in order. */
  private void replayScope(Cid loan) {
    loans.remove(loan);
    List<Scoped> list = scopes.get(loan);
    for (Scoped s : list) {
      proposals.remove(s.entry().cid());
      proposalEvents.remove(s.entry().cid());
    }
    scopeFlags.remove(loan);
    for (Scoped s : list) {
      applyScoped(s.entry(), s.record(), loan);
    }
  }

  private void replay() {
    scopes = new HashMap<>();
    entryScope = new HashMap<>();
    orphans = new HashMap<>();
    parties = new HashMap<>();
    registeredAt = new HashMap<>();
    loans = new HashMap<>();
    proposals = new HashMap<>();
    proposalEvents = new HashMap<>();
    flags = new TreeMap<>(LendingEntry.ORDER);
    scopeFlags = new HashMap<>();
    businessDate = LocalDate.EPOCH;
    for (LendingEntry e : entries) {
      fold(e, true);
    }
  }

  /** A party's roles as of the entry at {@code at}: registrations count from their position. */
  private Set<String> rolesAt(PartyId p, LendingEntry at) {
    LendingEntry since = registeredAt.get(p);
    return since != null && LendingEntry.ORDER.compare(since, at) < 0 ? parties.get(p) : Set.of();
  }

  private Function<PartyId, Set<String>> roles(LendingEntry at) {
    return p -> rolesAt(p, at);
  }

  private void flag(LendingEntry at, Cid loan, String kind, Optional<Cid> about, String reason) {
    scopeFlags
        .computeIfAbsent(loan, k -> new TreeMap<>(LendingEntry.ORDER))
        .put(at, new Flagged(at.cid(), kind, about, reason));
  }

  private PartyId author(LendingEntry e) {
    return authors.computeIfAbsent(java.nio.ByteBuffer.wrap(e.author()), k -> e.party());
  }

  /** Registrations, attestations and consents to nothing the fold has seen. */
  private void applyUnscoped(LendingEntry e, LendingRecord r) {
    applied++;
    PartyId author = author(e);
    Body body = r.body();
    if (body instanceof PartyRegistered p) {
      if (parties.containsKey(author)) {
        flags.put(
            e,
            new Flagged(e.cid(), r.kind(), r.loan(), "party " + author + " is already registered"));
      } else {
        parties.put(author, Set.copyOf(p.roles()));
        registeredAt.put(author, e);
      }
    } else if (body instanceof KycAttested k) {
      attest(e, r, author, k.subject());
    } else if (body instanceof KycRevoked k) {
      attest(e, r, author, k.subject());
    } else if (body instanceof Consent c) {
      flags.put(
          e, new Flagged(e.cid(), "Consent", r.loan(), "no pending proposal " + c.proposal()));
    }
  }

  private void applyScoped(LendingEntry e, LendingRecord r, Cid scope) {
    applied++;
    PartyId author = author(e);
    Event ev = new Event(e.cid(), e, author, r, Set.of(author));
    Body body = r.body();
    if (body instanceof LoanRequested q) {
      request(e, r, q, author);
    } else if (body instanceof Consent c) {
      consent(ev, c, scope);
    } else {
      Cid loanId = r.loan().orElseThrow();
      Ledger l = loans.get(loanId);
      if (l == null) {
        flag(e, scope, r.kind(), r.loan(), "unknown loan " + loanId);
        return;
      }
      Optional<Set<PartyId>> required = Proposals.required(l, ev);
      if (required.isEmpty()) {
        l.apply(ev, roles(e));
      } else {
        propose(l, ev, required.get());
      }
    }
  }

  private void request(LendingEntry e, LendingRecord r, LoanRequested q, PartyId author) {
    Set<String> roles = rolesAt(author, e);
    if (!roles.contains("borrower")) {
      flag(
          e,
          e.cid(),
          r.kind(),
          Optional.empty(),
          "LoanRequested needs the borrower role; party " + author + " has " + roles);
    } else if (q.expiry().isBefore(r.valueDate())) {
      flag(
          e,
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

  private void attest(LendingEntry e, LendingRecord r, PartyId author, PartyId subject) {
    String kind = r.kind();
    String why = null;
    if (!rolesAt(author, e).contains("attestor")) {
      why = kind + " needs the attestor role";
    } else if (!registeredBefore(subject, e)) {
      why = "subject " + subject + " is not a registered party";
    }
    if (why != null) {
      flags.put(e, new Flagged(e.cid(), kind, Optional.empty(), why));
    }
  }

  private boolean registeredBefore(PartyId p, LendingEntry at) {
    LendingEntry since = registeredAt.get(p);
    return since != null && LendingEntry.ORDER.compare(since, at) < 0;
  }

  private void propose(Ledger l, Event ev, Set<PartyId> required) {
    String kind = ev.record().kind();
    LendingEntry at = ev.at();
    if (!required.contains(ev.author())) {
      flag(
          at,
          l.id,
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
        Rules.apply(l.book.copy(), ev, roles(at));
      } catch (Invalid x) {
        flag(at, l.id, kind, Optional.of(l.id), x.getMessage());
        return;
      }
    }
    Set<PartyId> awaiting = new LinkedHashSet<>(required);
    awaiting.remove(ev.author());
    if (awaiting.isEmpty()) {
      l.apply(ev, roles(at));
      return;
    }
    l.touch();
    l.pending.put(
        ev.entry(),
        new Proposal(ev.entry(), kind, ev.author(), awaiting, Proposals.expiry(ev.record())));
    proposals.put(ev.entry(), l);
    proposalEvents.put(ev.entry(), ev);
  }

  private void consent(Event ev, Consent c, Cid scope) {
    LendingEntry at = ev.at();
    Ledger l = proposals.get(c.proposal());
    Optional<Cid> loan = ev.record().loan();
    if (l == null) {
      flag(at, scope, "Consent", loan, "no pending proposal " + c.proposal());
      return;
    }
    if (loan.isPresent() && !loan.get().equals(l.id)) {
      flag(
          at,
          scope,
          "Consent",
          loan,
          "proposal " + c.proposal() + " is about loan " + l.id + ", not " + loan.get());
      return;
    }
    Proposal p = l.pending.get(c.proposal());
    if (!p.awaiting().contains(ev.author())) {
      flag(
          at,
          scope,
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
          scope,
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
              proposal.entry(), proposal.at(), proposal.author(), proposal.record(), signers));
      return;
    }
    l.pending.remove(c.proposal());
    proposals.remove(c.proposal());
    proposalEvents.remove(c.proposal());
    // Effective at the last consent: its position in the log orders it among the loan's records.
    l.apply(
        new Event(proposal.entry(), at, proposal.author(), proposal.record(), signers), roles(at));
  }

  /** The state now, reflecting {@code heads} (the caller's heads of the log folded). */
  public LendingState state(List<Cid> heads) {
    TreeMap<Cid, LoanState> out = new TreeMap<>();
    TreeMap<LendingEntry, Flagged> all = new TreeMap<>(flags);
    scopeFlags.values().forEach(all::putAll);
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
