package dev.tally.cluster;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Admission;
import dev.tally.log.CheckpointRecords;
import dev.tally.log.Entry;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fold of a cluster log: the current pins, members, heartbeats and per-peer pin states. Every
 * key (a CID, a member, a peer's heartbeat, a peer's state for a CID) is a last-writer-wins
 * register versioned by its entry's place in the log's total order, so applying a set of entries in
 * any order, any number of times, gives the same state: members fold entries as they arrive from
 * joins, never re-sorting the log. Unpins leave a tombstone so a concurrent older pin cannot
 * resurrect the CID. Thread-safe.
 *
 * <p>The log admits only its writers' entries, so every record here is by a writer. The founding
 * members are the manifest's writers and admins; a {@code WriterAdded} entry (by a member, where
 * the manifest lets writers admit, else by an admin) admits a member, a {@code WriterRemoved} or a
 * {@link LeaveRecord} removes one. The manifest's admins cannot be removed by others, only leave:
 * another member's {@code WriterRemoved} of an admin is ignored here, as the log still takes the
 * admin's entries.
 */
public final class Pinset {
  private record Versioned<T>(Stamp stamp, T value) {}

  private final Map<Cid, Versioned<Optional<PinRecord>>> pins = new HashMap<>();
  private final Map<PeerId, Versioned<Boolean>> members = new HashMap<>();
  private final Map<PeerId, Versioned<HeartbeatRecord>> heartbeats = new HashMap<>();
  private final Map<Cid, Map<PeerId, Versioned<StateRecord>>> states = new HashMap<>();

  /** Audit failures: accused peer → pin → accusing member → its latest record. */
  private final Map<PeerId, Map<Cid, Map<PeerId, Versioned<Accusation>>>> audits = new HashMap<>();

  /** An audit record with whether its evidence carries the accused's valid signature. */
  private record Accusation(AuditRecord record, boolean signed) {}

  private final Cid cluster;
  private final Map<ByteBuffer, PeerId> authors = new HashMap<>();
  private final java.util.Set<PeerId> admins = new java.util.HashSet<>();
  private Versioned<SettingsRecord> settings =
      new Versioned<>(Stamp.ORIGIN, SettingsRecord.DEFAULTS);
  private long applied;
  private long pinsVersion;
  private long malformed;

  private Pinset(
      Cid cluster, Collection<Ed25519PublicKey> founders, Collection<Ed25519PublicKey> admins) {
    this.cluster = cluster;
    for (Ed25519PublicKey k : founders) {
      members.put(PeerId.fromPublicKey(k), new Versioned<>(Stamp.ORIGIN, true));
    }
    for (Ed25519PublicKey k : admins) {
      this.admins.add(PeerId.fromPublicKey(k));
    }
  }

  /** The empty fold of the cluster log named by {@code manifest}. */
  public static Pinset of(LogManifest manifest) {
    List<Ed25519PublicKey> founders = new ArrayList<>(manifest.writers());
    founders.addAll(manifest.admins());
    return new Pinset(manifest.cid(), founders, manifest.admins());
  }

  /**
   * Folds one verified entry in. A record that does not decode as a cluster record is counted in
   * {@link #malformed()} and otherwise ignored, so every member still reaches the same state.
   */
  public synchronized void apply(Entry entry) {
    Optional<Admission.Change> admission;
    try {
      admission = Admission.of(entry.record());
    } catch (IllegalArgumentException e) {
      malformed++;
      return;
    }
    if (admission.isPresent()) {
      // The log accepted it, so its author may admit (an admin, or a member where writers admit).
      applied++;
      Admission.Change c = admission.get();
      PeerId peer = PeerId.fromPublicKey(c.key());
      if (c.added() || !admins.contains(peer) || peer.equals(author(entry))) {
        putMember(peer, Stamp.of(entry), c.added());
      }
      return;
    }
    if (CheckpointRecords.isCheckpoint(entry.record())
        || CheckpointRecords.isEndorsement(entry.record())) {
      return; // the log's own checkpoints (ADR 018), not cluster records
    }
    ClusterRecord record;
    try {
      record = ClusterRecords.decode(entry.record());
    } catch (ClusterException e) {
      malformed++;
      return;
    }
    applied++;
    apply(Stamp.of(entry), author(entry), record);
  }

  /** Folds entries in, in any order. */
  public void applyAll(Iterable<Entry> entries) {
    for (Entry e : entries) {
      apply(e);
    }
  }

  private PeerId author(Entry entry) {
    return author(entry.author());
  }

  private PeerId author(byte[] raw) {
    return authors.computeIfAbsent(
        ByteBuffer.wrap(raw), k -> PeerId.fromPublicKey(Ed25519PublicKey.of(raw)));
  }

  private void apply(Stamp stamp, PeerId author, ClusterRecord record) {
    if (record instanceof PinRecord p) {
      putPin(p.cid(), stamp, Optional.of(p));
    } else if (record instanceof UnpinRecord u) {
      putPin(u.cid(), stamp, Optional.empty());
    } else if (record instanceof UpdateRecord u) {
      if (!u.from().equals(u.pin().cid())) {
        putPin(u.from(), stamp, Optional.empty());
      }
      putPin(u.pin().cid(), stamp, Optional.of(u.pin()));
    } else if (record instanceof LeaveRecord l) {
      putMember(l.member(), stamp, false);
    } else if (record instanceof HeartbeatRecord h) {
      put(heartbeats, author, stamp, h);
    } else if (record instanceof SettingsRecord st) {
      if (settings.stamp().compareTo(stamp) < 0) {
        settings = new Versioned<>(stamp, st);
        pinsVersion++;
      }
    } else if (record instanceof StateRecord st) {
      put(states.computeIfAbsent(st.cid(), c -> new HashMap<>()), author, stamp, st);
    } else if (record instanceof AuditRecord a && !a.peer().equals(author)) {
      putAudit(author, stamp, a);
    }
  }

  private static <K, T> boolean put(Map<K, Versioned<T>> map, K key, Stamp stamp, T value) {
    Versioned<T> old = map.get(key);
    if (old == null || old.stamp().compareTo(stamp) < 0) {
      map.put(key, new Versioned<>(stamp, value));
      return true;
    }
    return false;
  }

  private void putAudit(PeerId author, Stamp stamp, AuditRecord a) {
    // The signature is checked once, here: it does not change; whether the evidence proves the
    // failure also depends on the peer's latest admission, which does.
    boolean signed = a.evidence().map(e -> e.signedBy(a.peer(), cluster, a.cid())).orElse(false);
    Map<PeerId, Versioned<Accusation>> byAuthor =
        audits
            .computeIfAbsent(a.peer(), p -> new HashMap<>())
            .computeIfAbsent(a.cid(), c -> new HashMap<>());
    if (put(byAuthor, author, stamp, new Accusation(a, signed))) {
      pinsVersion++;
    }
  }

  private void putPin(Cid cid, Stamp stamp, Optional<PinRecord> value) {
    if (put(pins, cid, stamp, value)) {
      pinsVersion++;
    }
  }

  private void putMember(PeerId peer, Stamp stamp, boolean member) {
    if (put(members, peer, stamp, member)) {
      pinsVersion++;
    }
  }

  /** The pin of {@code cid}, if the cluster pins it (expired or not). */
  public synchronized Optional<PinRecord> pin(Cid cid) {
    Versioned<Optional<PinRecord>> v = pins.get(cid);
    return v == null ? Optional.empty() : v.value();
  }

  /** The pins in force at {@code nowMillis} (not expired), by CID. */
  public synchronized SortedMap<Cid, PinRecord> pins(long nowMillis) {
    SortedMap<Cid, PinRecord> out = new TreeMap<>();
    pins.forEach(
        (cid, v) -> v.value().filter(p -> !p.expiredAt(nowMillis)).ifPresent(p -> out.put(cid, p)));
    return out;
  }

  /** Every pin, expired ones included. */
  public SortedMap<Cid, PinRecord> pins() {
    return pins(Long.MIN_VALUE);
  }

  /** The current members. */
  public synchronized SortedSet<PeerId> members() {
    SortedSet<PeerId> out = new TreeSet<>();
    members.forEach(
        (peer, v) -> {
          if (v.value()) {
            out.add(peer);
          }
        });
    return out;
  }

  public synchronized boolean isMember(PeerId peer) {
    Versioned<Boolean> v = members.get(peer);
    return v != null && v.value();
  }

  /** Each peer's latest heartbeat (members and former members). */
  public synchronized Map<PeerId, HeartbeatRecord> heartbeats() {
    Map<PeerId, HeartbeatRecord> out = new TreeMap<>();
    heartbeats.forEach((peer, v) -> out.put(peer, v.value()));
    return out;
  }

  /**
   * The audit failures that count against {@code peer}, by pin (ADR 026): logged after its latest
   * admission (admitting a member again clears what was logged against it before) by members, and
   * either proved by the peer's own signed answer or logged by {@link #confirmationsFor} members.
   * Each pin maps to the latest such record.
   */
  public synchronized Map<Cid, AuditRecord> auditFailures(PeerId peer) {
    Map<Cid, Map<PeerId, Versioned<Accusation>>> byPin = audits.get(peer);
    Map<Cid, AuditRecord> out = new TreeMap<>();
    if (byPin != null) {
      byPin.forEach(
          (cid, byAuthor) -> counting(peer, cid, byAuthor).ifPresent(r -> out.put(cid, r)));
    }
    return out;
  }

  /** Whether {@code peer} failed an audit of {@code cid} that counts: it may not hold it. */
  public synchronized boolean failedAudit(PeerId peer, Cid cid) {
    Map<Cid, Map<PeerId, Versioned<Accusation>>> byPin = audits.get(peer);
    Map<PeerId, Versioned<Accusation>> byAuthor = byPin == null ? null : byPin.get(cid);
    return byAuthor != null && counting(peer, cid, byAuthor).isPresent();
  }

  /**
   * Members that must log a failure of one pin against {@code peer} that no evidence proves: the
   * settings' {@code confirmations}, or every other member when there are fewer.
   */
  public synchronized int confirmationsFor(PeerId peer) {
    int others = 0;
    for (Map.Entry<PeerId, Versioned<Boolean>> m : members.entrySet()) {
      if (m.getValue().value() && !m.getKey().equals(peer)) {
        others++;
      }
    }
    return Math.max(1, Math.min(settings.value().confirmations(), others));
  }

  /**
   * Failures some member logged against a peer that do not count yet, which {@code self} has not
   * logged itself: pairs it should audit to confirm or refute (ADR 026).
   */
  public synchronized List<Map.Entry<PeerId, Cid>> unconfirmedFailures(PeerId self) {
    List<Map.Entry<PeerId, Cid>> out = new ArrayList<>();
    new TreeMap<>(audits)
        .forEach(
            (peer, byPin) -> {
              if (peer.equals(self) || !isMember(peer)) {
                return;
              }
              new TreeMap<>(byPin)
                  .forEach(
                      (cid, byAuthor) -> {
                        List<PeerId> accusers = accusers(peer, byAuthor);
                        if (!accusers.isEmpty()
                            && !accusers.contains(self)
                            && counting(peer, cid, byAuthor).isEmpty()) {
                          out.add(Map.entry(peer, cid));
                        }
                      });
            });
    return out;
  }

  /** The members whose failure records against {@code peer} came after its latest admission. */
  private List<PeerId> accusers(PeerId peer, Map<PeerId, Versioned<Accusation>> byAuthor) {
    Versioned<Boolean> member = members.get(peer);
    Stamp since = member == null ? Stamp.ORIGIN : member.stamp();
    List<PeerId> out = new ArrayList<>();
    byAuthor.forEach(
        (author, v) -> {
          if (v.stamp().compareTo(since) > 0 && isMember(author)) {
            out.add(author);
          }
        });
    return out;
  }

  /**
   * The entry that last admitted {@code peer} (the cluster id for a founder): what a prover's
   * signed audit answers name, so they count only until it is admitted again (ADR 026).
   */
  public synchronized Cid admittedBy(PeerId peer) {
    Versioned<Boolean> member = members.get(peer);
    return member == null || member.stamp().cid() == null ? cluster : member.stamp().cid();
  }

  /** Whether {@code by} logged a failure of {@code cid} against {@code peer} that still stands. */
  public synchronized boolean accused(PeerId by, PeerId peer, Cid cid) {
    Map<Cid, Map<PeerId, Versioned<Accusation>>> byPin = audits.get(peer);
    Map<PeerId, Versioned<Accusation>> byAuthor = byPin == null ? null : byPin.get(cid);
    return byAuthor != null && accusers(peer, byAuthor).contains(by);
  }

  /** Whether some member logged a failure of {@code cid} against {@code peer} that stands. */
  public synchronized boolean accusedByOthers(PeerId peer, Cid cid) {
    Map<Cid, Map<PeerId, Versioned<Accusation>>> byPin = audits.get(peer);
    Map<PeerId, Versioned<Accusation>> byAuthor = byPin == null ? null : byPin.get(cid);
    return byAuthor != null && !accusers(peer, byAuthor).isEmpty();
  }

  /** The latest record of a failure that counts, if it does. */
  private Optional<AuditRecord> counting(
      PeerId peer, Cid cid, Map<PeerId, Versioned<Accusation>> byAuthor) {
    Cid admittedBy = admittedBy(peer);
    List<PeerId> accusers = accusers(peer, byAuthor);
    boolean proved = false;
    Versioned<Accusation> latest = null;
    for (PeerId author : accusers) {
      Versioned<Accusation> v = byAuthor.get(author);
      AuditRecord r = v.value().record();
      proved |=
          v.value().signed()
              && r.evidence().orElseThrow().provesFailure(peer, cluster, cid, admittedBy);
      if (latest == null || latest.stamp().compareTo(v.stamp()) < 0) {
        latest = v;
      }
    }
    if (latest == null || (!proved && accusers.size() < confirmationsFor(peer))) {
      return Optional.empty();
    }
    return Optional.of(latest.value().record());
  }

  /**
   * Whether {@code peer} failed audits of at least the settings' {@code strikes} pins: it is
   * allocated nothing until a member admits it again.
   */
  public synchronized boolean struckOut(PeerId peer) {
    return auditFailures(peer).size() >= settings.value().strikes();
  }

  /** What each peer last reported for {@code cid}. */
  public synchronized Map<PeerId, StateRecord> states(Cid cid) {
    Map<PeerId, StateRecord> out = new TreeMap<>();
    states.getOrDefault(cid, Map.of()).forEach((peer, v) -> out.put(peer, v.value()));
    return out;
  }

  /** The cluster-wide timing in force: the latest settings record, or the defaults. */
  public synchronized SettingsRecord settings() {
    return settings.value();
  }

  /**
   * A counter that moves whenever a pin, a member, an audit failure or the settings change (not on
   * heartbeats or states), so a member can re-allocate as soon as the pinset changes without doing
   * so on every heartbeat.
   */
  public synchronized long pinsVersion() {
    return pinsVersion;
  }

  /** Cluster records folded in so far (re-applied ones included). */
  public synchronized long applied() {
    return applied;
  }

  /** Entries whose record was not a well-formed cluster record. */
  public synchronized long malformed() {
    return malformed;
  }

  /**
   * The whole folded state as plain values, for comparing two members' folds: pins with tombstones,
   * members, heartbeats and states.
   */
  public synchronized Snapshot snapshot() {
    SortedMap<Cid, Optional<PinRecord>> p = new TreeMap<>();
    pins.forEach((cid, v) -> p.put(cid, v.value()));
    SortedMap<Cid, Map<PeerId, StateRecord>> s = new TreeMap<>();
    states.forEach(
        (cid, byPeer) -> {
          Map<PeerId, StateRecord> m = new TreeMap<>();
          byPeer.forEach((peer, v) -> m.put(peer, v.value()));
          s.put(cid, m);
        });
    SortedMap<PeerId, Boolean> m = new TreeMap<>();
    members.forEach((peer, v) -> m.put(peer, v.value()));
    SortedMap<PeerId, Map<Cid, Map<PeerId, AuditRecord>>> a = new TreeMap<>();
    audits.forEach(
        (peer, byPin) -> {
          Map<Cid, Map<PeerId, AuditRecord>> x = new TreeMap<>();
          byPin.forEach(
              (cid, byAuthor) -> {
                Map<PeerId, AuditRecord> y = new TreeMap<>();
                byAuthor.forEach((author, v) -> y.put(author, v.value().record()));
                x.put(cid, y);
              });
          a.put(peer, x);
        });
    return new Snapshot(p, m, heartbeats(), s, a, settings.value());
  }

  /** One last-writer-wins register with the stamp of the entry that set it. */
  sealed interface Register {
    Stamp stamp();
  }

  record PinReg(Cid cid, Stamp stamp, Optional<PinRecord> pin) implements Register {}

  record MemberReg(PeerId peer, Stamp stamp, boolean member) implements Register {}

  record BeatReg(PeerId peer, Stamp stamp, HeartbeatRecord beat) implements Register {}

  record StateReg(PeerId peer, Stamp stamp, StateRecord state) implements Register {}

  record AuditReg(Stamp stamp, AuditRecord audit) implements Register {}

  record SettingsReg(Stamp stamp, SettingsRecord settings) implements Register {}

  /** Every register with its stamp, for a snapshot ({@link PinsetSnapshot}). */
  synchronized List<Register> registers() {
    // Sorted, so that every member writes the same snapshot blocks for the same state.
    List<Register> out = new ArrayList<>();
    out.add(new SettingsReg(settings.stamp(), settings.value()));
    new TreeMap<>(members).forEach((peer, v) -> out.add(new MemberReg(peer, v.stamp(), v.value())));
    new TreeMap<>(pins).forEach((cid, v) -> out.add(new PinReg(cid, v.stamp(), v.value())));
    new TreeMap<>(heartbeats)
        .forEach((peer, v) -> out.add(new BeatReg(peer, v.stamp(), v.value())));
    new TreeMap<>(states)
        .forEach(
            (cid, byPeer) ->
                new TreeMap<>(byPeer)
                    .forEach((peer, v) -> out.add(new StateReg(peer, v.stamp(), v.value()))));
    new TreeMap<>(audits)
        .forEach(
            (peer, byPin) ->
                new TreeMap<>(byPin)
                    .forEach(
                        (cid, byAuthor) ->
                            new TreeMap<>(byAuthor)
                                .forEach(
                                    (author, v) ->
                                        out.add(new AuditReg(v.stamp(), v.value().record())))));
    return out;
  }

  /**
   * Sets registers as a snapshot holds them; each is last-writer-wins by its stamp, so restoring
   * then folding the entries after the snapshot's checkpoint gives the state the whole log folds
   * to.
   */
  synchronized void restore(List<Register> registers) {
    for (Register r : registers) {
      if (r instanceof PinReg p) {
        putPin(p.cid(), p.stamp(), p.pin());
      } else if (r instanceof MemberReg m) {
        putMember(m.peer(), m.stamp(), m.member());
      } else if (r instanceof BeatReg b) {
        put(heartbeats, b.peer(), b.stamp(), b.beat());
      } else if (r instanceof StateReg st) {
        put(
            states.computeIfAbsent(st.state().cid(), c -> new HashMap<>()),
            st.peer(),
            st.stamp(),
            st.state());
      } else if (r instanceof AuditReg a) {
        putAudit(author(a.stamp().author()), a.stamp(), a.audit());
      } else if (r instanceof SettingsReg st && settings.stamp().compareTo(st.stamp()) < 0) {
        settings = new Versioned<>(st.stamp(), st.settings());
        pinsVersion++;
      }
    }
  }

  /** A fold's state as values; equal snapshots mean equal pinsets. */
  public record Snapshot(
      SortedMap<Cid, Optional<PinRecord>> pins,
      SortedMap<PeerId, Boolean> members,
      Map<PeerId, HeartbeatRecord> heartbeats,
      SortedMap<Cid, Map<PeerId, StateRecord>> states,
      SortedMap<PeerId, Map<Cid, Map<PeerId, AuditRecord>>> audits,
      SettingsRecord settings) {}
}
