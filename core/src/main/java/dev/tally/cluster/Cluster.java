package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.GcLeases;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Entry;
import dev.tally.log.EntrySource;
import dev.tally.log.JoinResult;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * This node as a member of one cluster: the cluster log and its fold, the writes a member makes
 * (pins, unpins, admissions, heartbeats, pin outcomes), the allocation and the tracker that pins
 * this node's share. {@link #tick} (run every 100 ms by {@link #start}) heartbeats when due and
 * syncs the tracker. Thread-safe; every method may block on the log's store, so call it off event
 * loops.
 */
public final class Cluster implements AutoCloseable {
  private final Log log;
  private final Pinset pinset;
  private final PeerId self;
  private final Ed25519PrivateKey key;
  private final LocalPins local;
  private final ClusterOptions options;
  private final LongSupplier clock;
  private final Consumer<Log> appended;
  private final PinTracker tracker;
  private final ClusterCheckpoints checkpoints;
  private final StartFromCheckpoint start;
  private final Runnable unsubscribe;
  private Optional<Long> lastHeartbeat = Optional.empty();
  private long lastSync = Long.MIN_VALUE;
  private long syncedVersion = -1;

  /** How often the scheduled tick looks whether a heartbeat or a sync is due. */
  static final long TICK_MILLIS = 100;

  private ScheduledFuture<?> ticking;

  private volatile Optional<AuditRounds> audits = Optional.empty();

  /** A (peer, pin) pair to audit: the peer reported the pin pinned and it is allocated to it. */
  record Target(PeerId peer, Cid pin) {}

  private Cluster(
      Log log,
      Ed25519PrivateKey key,
      LocalPins local,
      ClusterOptions options,
      LongSupplier clock,
      Consumer<Log> appended,
      Blockstore snapshots,
      GcLeases leases) {
    this.log = log;
    Optional<ClusterCheckpoints.Restored> restored = ClusterCheckpoints.restore(log);
    this.pinset =
        restored
            .map(ClusterCheckpoints.Restored::pinset)
            .orElseGet(() -> Pinset.of(log.manifest()));
    this.self = PeerId.fromPublicKey(key.publicKey());
    this.key = key;
    this.local = local;
    this.options = options;
    this.clock = clock;
    this.appended = appended;
    this.start = new StartFromCheckpoint(log, pinset, snapshots, leases, clock);
    // Subscribe first, then fold what is there: the fold is order-free and idempotent, so an entry
    // a concurrent join delivers to both paths is applied twice to no effect. Entries a vouched
    // checkpoint covers are left to its snapshot (ADR 027).
    this.unsubscribe = log.subscribe(batch -> pinset.applyAll(start.uncovered(batch)));
    if (restored.isPresent()) {
      // The latest final checkpoint's snapshot, then only the entries after it (ADR 021).
      restored.get().foldRest(log);
    } else {
      pinset.applyAll(log.traverse()::iterator);
    }
    this.checkpoints = new ClusterCheckpoints(log, key, options.checkpointEvery());
    this.tracker = new PinTracker(local, options.tracker(), clock, this::publish);
  }

  /**
   * This node's membership of the cluster whose log is {@code log} (already opened or created).
   *
   * @param clock wall-clock milliseconds (heartbeat times, liveness, expiry, retries)
   * @param appended called after each append by this node, to save heads and announce them
   */
  public static Cluster open(
      Log log,
      Ed25519PrivateKey key,
      LocalPins local,
      ClusterOptions options,
      LongSupplier clock,
      Consumer<Log> appended) {
    return new Cluster(log, key, local, options, clock, appended, log.store(), GcLeases.NONE);
  }

  /**
   * As {@link #open(Log, Ed25519PrivateKey, LocalPins, ClusterOptions, LongSupplier, Consumer)};
   * when the log replica starts from a final checkpoint its peers offered ({@link Log#vouch}), the
   * pinset snapshot that checkpoint names is read from {@code snapshots} (a blockstore that fetches
   * from peers) and the entries it covers are never folded (ADR 027). For a log whose store is
   * never garbage collected (a memory store).
   */
  public static Cluster open(
      Log log,
      Ed25519PrivateKey key,
      LocalPins local,
      ClusterOptions options,
      LongSupplier clock,
      Consumer<Log> appended,
      Blockstore snapshots) {
    return new Cluster(log, key, local, options, clock, appended, snapshots, GcLeases.NONE);
  }

  /**
   * As {@link #open(Log, Ed25519PrivateKey, LocalPins, ClusterOptions, LongSupplier, Consumer,
   * Blockstore)} for a log whose store is garbage collected: the snapshot is fetched and kept under
   * a lease of {@code leases} until its checkpoint entry is in the replica (ADR 032).
   */
  public static Cluster open(
      Log log,
      Ed25519PrivateKey key,
      LocalPins local,
      ClusterOptions options,
      LongSupplier clock,
      Consumer<Log> appended,
      Blockstore snapshots,
      GcLeases leases) {
    return new Cluster(log, key, local, options, clock, appended, snapshots, leases);
  }

  public Cid id() {
    return log.id();
  }

  public String name() {
    return log.manifest().name();
  }

  public PeerId self() {
    return self;
  }

  public Log log() {
    return log;
  }

  public Pinset pinset() {
    return pinset;
  }

  public PinTracker tracker() {
    return tracker;
  }

  /**
   * The final checkpoint whose pinset snapshot this member loaded when it joined (ADR 027), if it
   * started from one and has loaded it.
   */
  public Optional<dev.tally.log.Checkpoint> loadedFrom() {
    return start.loaded();
  }

  /** Adds or replaces the cluster's pin of {@code pin.cid()}. */
  public Entry pin(PinRecord pin) {
    return appendAsMember(List.of(pin)).get(0);
  }

  /**
   * Removes the cluster's pin of {@code cid}.
   *
   * @throws ClusterException when the cluster does not pin it
   */
  public Entry unpin(Cid cid) {
    if (pinset.pin(cid).isEmpty()) {
      throw new ClusterException(cid + " is not pinned in cluster " + id());
    }
    return appendAsMember(List.of(new UnpinRecord(cid))).get(0);
  }

  /** Moves the pin of {@code from} to {@code to}, keeping its name, factors and metadata. */
  public Entry update(Cid from, Cid to) {
    PinRecord old =
        pinset
            .pin(from)
            .orElseThrow(() -> new ClusterException(from + " is not pinned in cluster " + id()));
    return appendAsMember(List.of(new UpdateRecord(from, old.withCid(to)))).get(0);
  }

  /**
   * Admits {@code peer} as a member with the log's {@code WriterAdded} entry, signed by this
   * member: in a cluster whose manifest lets writers admit ({@code admission: "writers"}, every
   * cluster {@code tally cluster create} makes) any member may; in an older one only its admins.
   * The newcomer then runs {@code tally cluster join}. Admitting a former member again restores it
   * and clears the audit failures logged against it before (ADR 021).
   *
   * @throws ClusterException when the peer is not Ed25519, already a member, or this node may not
   *     admit
   */
  public Entry admit(PeerId peer) {
    Ed25519PublicKey newcomer = ed25519(peer);
    requireAdmitter("admit");
    if (pinset.isMember(peer)) {
      throw new ClusterException(peer + " is already a member of cluster " + id());
    }
    return admission(log -> log.addWriter(newcomer, key));
  }

  /**
   * Removes {@code peer} from the cluster with the log's {@code WriterRemoved} entry, signed by
   * this member: its pins are re-allocated at once, and the log refuses every entry it writes after
   * the removal (entries it wrote before, or concurrently, stay: ADR 008). The cluster's creator is
   * named in the manifest, which no entry can change; it can leave, not be removed.
   *
   * @throws ClusterException when the peer is not a member, is this node, or is the creator
   */
  public Entry remove(PeerId peer) {
    Ed25519PublicKey member = ed25519(peer);
    requireAdmitter("remove");
    if (peer.equals(self)) {
      throw new ClusterException("to remove this node, leave the cluster ('tally cluster leave')");
    }
    if (!pinset.isMember(peer)) {
      throw new ClusterException(peer + " is not a member of cluster " + id());
    }
    if (log.manifest().isAdmin(member.raw())) {
      throw new ClusterException(
          peer + " created cluster " + id() + "; its manifest names it, so it can only leave");
    }
    return admission(log -> log.removeWriter(member, key));
  }

  private static Ed25519PublicKey ed25519(PeerId peer) {
    return peer.publicKey()
        .filter(Ed25519PublicKey.class::isInstance)
        .map(Ed25519PublicKey.class::cast)
        .orElseThrow(
            () ->
                new ClusterException(
                    peer + " is not an Ed25519 peer id (12D3KooW...); members sign with Ed25519"));
  }

  /** Whether this node may sign admissions and removals in this cluster's log. */
  private boolean mayAdmit() {
    return log.manifest().isAdmin(key.publicKey().raw())
        || (log.manifest().writersAdmit() && pinset.isMember(self));
  }

  private void requireAdmitter(String what) {
    if (!mayAdmit()) {
      throw new ClusterException(
          log.manifest().writersAdmit()
              ? "this node ("
                  + self
                  + ") is not a member of cluster "
                  + id()
                  + ", so it cannot "
                  + what
                  + " members"
              : "only the creator of cluster "
                  + id()
                  + " can "
                  + what
                  + " members (the cluster predates member admission)");
    }
  }

  private Entry admission(java.util.function.Function<Log, Entry> write) {
    Entry e;
    synchronized (this) {
      e = write.apply(log);
      pinset.apply(e);
    }
    appended.accept(log);
    return e;
  }

  /**
   * Proposes a checkpoint of the cluster log now, with the pinset's snapshot as its state (final at
   * once when this node is the cluster's only signer, its creator).
   *
   * @throws dev.tally.log.LogException when this node is not a signer of the log's manifest
   */
  public Entry checkpoint() {
    Entry e = ClusterCheckpoints.propose(log, pinset, key);
    appended.accept(log);
    return e;
  }

  /** Sets the cluster-wide heartbeat interval and down-after time. */
  public Entry settings(SettingsRecord settings) {
    return appendAsMember(List.of(settings)).get(0);
  }

  /**
   * Leaves the cluster: logs the departure (the other members re-allocate its pins at once), stops
   * the tracker and unpins the cluster's pins here. Where this node may sign admissions the
   * departure is its own {@code WriterRemoved} entry, so the log takes nothing more from it until a
   * member admits it again; in an older cluster it is a {@link LeaveRecord}.
   */
  public Entry leave() {
    if (!pinset.isMember(self)) {
      throw new ClusterException("this node (" + self + ") is not a member of cluster " + id());
    }
    Entry e =
        mayAdmit()
            ? admission(log -> log.removeWriter(key.publicKey(), key))
            : appendAsMember(List.of(new LeaveRecord(self))).get(0);
    close();
    for (Cid cid : local.pinned()) {
      local.unpin(cid);
    }
    return e;
  }

  private List<Entry> appendAsMember(List<ClusterRecord> records) {
    if (!pinset.isMember(self)) {
      throw new ClusterException(
          "this node ("
              + self
              + ") is not a member of cluster "
              + id()
              + "; a member must admit it first");
    }
    return append(records);
  }

  private List<Entry> append(List<ClusterRecord> records) {
    List<Entry> entries;
    synchronized (this) {
      entries =
          log.appendAll(
              records.stream().map(r -> (dev.tally.ipld.IpldNode) r.toNode()).toList(), key);
      pinset.applyAll(entries);
    }
    appended.accept(log);
    return entries;
  }

  /**
   * Merges the pinset snapshot of the checkpoint the log replica started from, once (the first step
   * of every tick). May block on peers.
   */
  void loadCheckpointState() {
    start.tick();
  }

  /**
   * Whether this node writes to the cluster log now: a member whose replica holds its admission. A
   * newcomer that loaded the pinset from a checkpoint knows it is a member before the history
   * holding its admission arrives; until then the log would refuse its entries.
   */
  private boolean writes() {
    return pinset.isMember(self) && log.canWrite(key.publicKey());
  }

  /** Pin outcomes from the tracker, logged for the other members. */
  private void publish(List<StateRecord> states) {
    if (writes()) {
      append(List.copyOf(states));
    }
  }

  /**
   * Merges another replica's heads into the cluster log (verifying every entry); the fold sees the
   * added entries through its subscription, as it does for a replicator's joins.
   */
  public JoinResult join(Collection<Cid> heads, EntrySource source) {
    return log.join(heads, source);
  }

  /**
   * Heartbeats if one is due, then brings the tracker in line with the allocation when the pins,
   * members or settings changed since the last sync, or the sync interval passed (liveness changes
   * with time alone; failed pins wait for their back-off).
   */
  public void tick() {
    loadCheckpointState();
    long now = clock.getAsLong();
    boolean member = writes();
    if (member) {
      audits.ifPresent(a -> a.tick(now));
    }
    long every = pinset.settings().heartbeat().toMillis();
    // Due by the settings in force now, which a settings record may have changed since the last.
    if (member && (lastHeartbeat.isEmpty() || now - lastHeartbeat.get() >= every)) {
      append(List.of(new HeartbeatRecord(now, local.freeBytes())));
      lastHeartbeat = Optional.of(now);
    }
    if (checkpoints.tick(pinset)) {
      appended.accept(log);
    }
    long version = pinset.pinsVersion();
    if (version == syncedVersion && now - lastSync < options.syncInterval().toMillis()) {
      return;
    }
    syncedVersion = version;
    lastSync = now;
    Map<Cid, PinRecord> mine = new HashMap<>();
    if (member) {
      SortedMap<Cid, PinRecord> pins = pinset.pins(now);
      List<Allocator.Candidate> live =
          Allocator.candidates(pinset, now, pinset.settings().downAfter());
      for (PinRecord pin : pins.values()) {
        if (Allocator.allocate(pinset, pin, live).contains(self)) {
          mine.put(pin.cid(), pin);
        }
      }
    }
    tracker.sync(mine);
  }

  /**
   * Ticks once now (so a member is live, by its first heartbeat, when this returns), then every 100
   * ms on {@code scheduler}; each tick heartbeats or syncs only when one is due.
   */
  public void start(ScheduledExecutorService scheduler) {
    synchronized (this) {
      if (ticking != null) {
        return;
      }
    }
    tick();
    long every = TICK_MILLIS;
    synchronized (this) {
      ticking =
          scheduler.scheduleWithFixedDelay(
              () -> {
                try {
                  tick();
                } catch (RuntimeException e) {
                  System.getLogger(Cluster.class.getName())
                      .log(
                          System.Logger.Level.WARNING, "cluster tick failed: " + e.getMessage(), e);
                }
              },
              every,
              every,
              TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Audits the other members with {@code challenger} on this member's schedule ({@link
   * ClusterOptions#audits}), from the next tick on; failures are logged as {@link AuditRecord}s.
   */
  public void audit(Challenger challenger) {
    audits = Optional.of(new AuditRounds(this, challenger, options.audits(), new SecureRandom()));
  }

  /** The audits this member ran so far. */
  public AuditStats auditStats() {
    return audits.map(AuditRounds::stats).orElse(AuditStats.NONE);
  }

  /**
   * Why this node, as a prover, will not answer {@code requester}'s audit of {@code pin}: only
   * members audit, only the cluster's own pins (expired ones included: the holder may not have
   * dropped them yet), and only pins this node reported pinned: its answers are signed, and a
   * signed "missing" for a pin it never claimed must not become evidence against it (ADR 026).
   * Empty when it answers.
   */
  public Optional<String> auditRefusal(PeerId requester, Cid pin) {
    if (!pinset.isMember(requester)) {
      return Optional.of(requester + " is not a member of cluster " + id());
    }
    if (pinset.pin(pin).isEmpty()) {
      return Optional.of(pin + " is not pinned in cluster " + id());
    }
    StateRecord mine = pinset.states(pin).get(self);
    if (mine == null || mine.status() != PinState.PINNED) {
      return Optional.of("this node has not reported " + pin + " pinned");
    }
    return Optional.empty();
  }

  /** What this node's signed audit answers name as its latest admission (ADR 026). */
  public Cid admittedBy() {
    return pinset.admittedBy(self);
  }

  /**
   * Up to {@code n} (peer, pin) pairs to audit at {@code now}: first failures other members logged
   * that do not count yet (this member's audit confirms or refutes them, ADR 026), then random pins
   * allocated to another member that reported them pinned, has not failed an audit of them and that
   * this member has not accused (reservoir-sampled).
   */
  List<Target> auditTargets(
      long now, int n, java.util.Random random, java.util.function.Predicate<Target> refuted) {
    List<Target> out = new ArrayList<>(n);
    if (n == 0) {
      return out;
    }
    for (Map.Entry<PeerId, Cid> u : pinset.unconfirmedFailures(self)) {
      Target t = new Target(u.getKey(), u.getValue());
      if (out.size() == n) {
        return out;
      }
      // Only a pair this member would audit anyway: the pin is still the peer's and it reports
      // the pin pinned (a peer no longer holding it has nothing to prove).
      StateRecord s = pinset.states(t.pin()).get(t.peer());
      if (!refuted.test(t)
          && s != null
          && s.status() == PinState.PINNED
          && allocation(t.pin()).contains(t.peer())) {
        out.add(t);
      }
    }
    int confirming = out.size();
    List<Allocator.Candidate> live =
        Allocator.candidates(pinset, now, pinset.settings().downAfter());
    long seen = 0;
    for (PinRecord pin : pinset.pins(now).values()) {
      Map<PeerId, StateRecord> states = null;
      for (PeerId peer : Allocator.allocate(pinset, pin, live)) {
        if (peer.equals(self)) {
          continue;
        }
        if (states == null) {
          states = pinset.states(pin.cid());
        }
        StateRecord s = states.get(peer);
        if (s == null
            || s.status() != PinState.PINNED
            || pinset.accused(self, peer, pin.cid())
            || out.contains(new Target(peer, pin.cid()))) {
          continue;
        }
        seen++;
        if (out.size() < n) {
          out.add(new Target(peer, pin.cid()));
        } else {
          long j = (long) (random.nextDouble() * seen);
          if (j < n - confirming) {
            out.set(confirming + (int) j, new Target(peer, pin.cid()));
          }
        }
      }
    }
    return out;
  }

  /**
   * Logs a failed audit, unless it no longer matters: the peer left or lost the pin meanwhile (a
   * failure against a pin it no longer holds would only count as a strike).
   */
  void logAuditFailure(AuditRecord failure) {
    if (!pinset.isMember(self)
        || !pinset.isMember(failure.peer())
        || pinset.failedAudit(failure.peer(), failure.cid())
        || pinset.accused(self, failure.peer(), failure.cid())
        || !allocation(failure.cid()).contains(failure.peer())) {
      return;
    }
    append(List.of(failure));
  }

  /** The members {@code cid} is allocated to now (empty when the cluster does not pin it). */
  public List<PeerId> allocation(Cid cid) {
    long now = clock.getAsLong();
    return pinset.pins(now).values().stream()
        .filter(p -> p.cid().equals(cid))
        .findFirst()
        .map(
            p ->
                Allocator.allocate(
                    pinset, p, Allocator.candidates(pinset, now, pinset.settings().downAfter())))
        .orElse(List.of());
  }

  /**
   * The status of {@code cid} on each peer it is allocated to: this node's from its tracker, the
   * others' from the outcomes they logged (queued until one arrives).
   *
   * @throws ClusterException when the cluster does not pin it
   */
  public List<PeerStatus> status(Cid cid) {
    if (pinset.pins(clock.getAsLong()).get(cid) == null) {
      throw new ClusterException(cid + " is not pinned in cluster " + id());
    }
    Map<PeerId, StateRecord> reported = pinset.states(cid);
    List<PeerStatus> out = new ArrayList<>();
    for (PeerId peer : allocation(cid)) {
      if (peer.equals(self)) {
        Optional<TrackedPin> t = tracker.status(cid);
        out.add(
            new PeerStatus(
                peer,
                t.map(TrackedPin::state).orElse(PinState.QUEUED),
                t.map(TrackedPin::error).orElse("")));
      } else {
        StateRecord s = reported.get(peer);
        PinState state =
            s == null || s.status() == PinState.UNPINNED ? PinState.QUEUED : s.status();
        out.add(new PeerStatus(peer, state, s == null ? "" : s.error()));
      }
    }
    return out;
  }

  /** Retries {@code cid} here at once if it failed; its status here afterwards. */
  public Optional<TrackedPin> recover(Cid cid) {
    return tracker.recover(cid);
  }

  /** The members with their liveness, free space and number of pins allocated to each. */
  public List<Member> members() {
    long now = clock.getAsLong();
    List<Allocator.Candidate> live =
        Allocator.candidates(pinset, now, pinset.settings().downAfter());
    Map<PeerId, Integer> counts = new TreeMap<>();
    for (PinRecord pin : pinset.pins(now).values()) {
      for (PeerId p : Allocator.allocate(pinset, pin, live)) {
        counts.merge(p, 1, Integer::sum);
      }
    }
    Map<PeerId, HeartbeatRecord> beats = pinset.heartbeats();
    List<Member> out = new ArrayList<>();
    for (PeerId peer : pinset.members()) {
      HeartbeatRecord h = beats.get(peer);
      boolean isLive = live.stream().anyMatch(c -> c.peer().equals(peer));
      out.add(
          new Member(
              peer,
              isLive,
              Optional.ofNullable(h).map(HeartbeatRecord::at),
              h == null ? 0 : h.free(),
              counts.getOrDefault(peer, 0),
              pinset.auditFailures(peer).size(),
              pinset.struckOut(peer)));
    }
    return out;
  }

  /** Stops ticking and the tracker; the log and its store stay open (their owner closes them). */
  @Override
  public void close() {
    unsubscribe.run();
    synchronized (this) {
      if (ticking != null) {
        ticking.cancel(false);
      }
    }
    tracker.close();
    start.close();
  }
}
