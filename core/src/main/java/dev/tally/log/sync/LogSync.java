package dev.tally.log.sync;

import dev.tally.crypto.PeerId;
import dev.tally.log.JoinResult;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.net.Connection;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The log replication behaviour: serves {@code /tally/log/1.0.0} on the host and keeps every
 * tracked log in step with the peers that hold it. Heads are announced to a peer when it connects,
 * after local changes (debounced) and periodically (anti-entropy), independently of any pubsub. A
 * peer announcing heads we lack is asked, in one request, for the delta "reachable from your heads,
 * not from mine", which is verified before anything is stored; a peer holding less than we do is
 * sent our heads so that it asks us. One request per log is in flight at a time; announcements
 * arriving meanwhile are kept (the latest per peer) and re-examined when it ends.
 *
 * <p>All replication state lives on one Vert.x context; public methods may be called from any
 * thread. Log reads and writes run on worker threads.
 */
public final class LogSync {
  public static final String PROTOCOL = "/tally/log/1.0.0";
  private static final System.Logger LOG = System.getLogger(LogSync.class.getName());

  private final Vertx vertx;
  private final Context ctx;
  private final Host host;
  private final SyncOptions options;
  private final SyncCodec codec;
  private final Map<Cid, Replica> replicas = new ConcurrentHashMap<>();
  private final AtomicInteger serving = new AtomicInteger();
  private final Map<PeerId, Integer> servingTo = new ConcurrentHashMap<>();
  private final PeerFaults faults;
  private final CheckpointOffer offer;
  private final JoinGate joins = new JoinGate();
  private long periodic = -1;

  /** One tracked log and its replication state (fields other than counters: ctx only). */
  private final class Replica {
    final Log log;
    final Consumer<Log> changed;
    final Runnable unsubscribe;
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong verified = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong remaining = new AtomicLong();
    final Map<PeerId, AtomicLong> rejectedBy = new ConcurrentHashMap<>();
    final Map<PeerId, AtomicLong> forgedBy = new ConcurrentHashMap<>();

    /** Peers asked for their latest final checkpoint while this replica was empty. */
    final Set<PeerId> askedForCheckpoint = ConcurrentHashMap.newKeySet();

    final Set<PeerId> peers = ConcurrentHashMap.newKeySet();
    final Map<PeerId, List<Cid>> queued = new HashMap<>();
    volatile boolean inFlight;
    boolean announcePending;

    Replica(Log log, Consumer<Log> changed) {
      this.log = log;
      this.changed = changed;
      this.unsubscribe = log.subscribe(batch -> run(() -> scheduleAnnounce(this)));
    }
  }

  public LogSync(Vertx vertx, Host host, SyncOptions options) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.host = host;
    this.options = options;
    this.codec = new SyncCodec(options);
    this.faults = new PeerFaults(options);
    this.offer =
        new CheckpointOffer(
            vertx, host, options, id -> Optional.ofNullable(replicas.get(id)).map(r -> r.log));
  }

  /** Serves the protocol and starts announcing heads: on connect and every anti-entropy tick. */
  public LogSync start() {
    host.setHandler(PROTOCOL, this::inbound);
    offer.start();
    host.onConnection(c -> run(() -> announce(c.remotePeer(), replicas.values())));
    run(
        () ->
            periodic =
                vertx.setPeriodic(
                    options.antiEntropy().toMillis(),
                    id -> connectedPeers().forEach(p -> announce(p, replicas.values()))));
    return this;
  }

  /**
   * Replicates {@code log}: announces it to peers and keeps it in step with theirs. {@code changed}
   * is called on a worker thread after entries from peers were stored (to save the heads).
   */
  public void track(Log log, Consumer<Log> changed) {
    Replica r = new Replica(log, changed);
    Replica old = replicas.put(log.id(), r);
    if (old != null) {
      old.unsubscribe.run();
    }
    run(() -> scheduleAnnounce(r));
  }

  public void untrack(Cid log) {
    Replica r = replicas.remove(log);
    if (r != null) {
      r.unsubscribe.run();
    }
  }

  /** The limits and timers this node replicates with. */
  public SyncOptions options() {
    return options;
  }

  /** The logs this node replicates. */
  public Set<Cid> tracked() {
    return Set.copyOf(replicas.keySet());
  }

  /** Where the replication of {@code log} stands, if it is tracked. */
  public Optional<SyncProgress> progress(Cid log) {
    Replica r = replicas.get(log);
    if (r == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncProgress(
            r.log.size(),
            r.fetched.get(),
            r.verified.get(),
            r.rejected.get(),
            r.inFlight ? r.remaining.get() : 0,
            r.inFlight,
            r.peers.size()));
  }

  /**
   * Invalid entries each peer sent for {@code log} since this node started (none were stored);
   * empty when the log is not tracked or no peer sent any.
   */
  public Map<PeerId, Long> rejectedBy(Cid log) {
    Replica r = replicas.get(log);
    if (r == null) {
      return Map.of();
    }
    Map<PeerId, Long> out = new HashMap<>();
    r.rejectedBy.forEach((p, n) -> out.put(p, n.get()));
    return Map.copyOf(out);
  }

  /**
   * Checkpoint bundles of {@code log} each peer offered that failed their checks (forged, not
   * final, another log's) since this node started; each made this node ignore the peer for the
   * penalty.
   */
  public Map<PeerId, Long> forgedCheckpointsBy(Cid log) {
    Replica r = replicas.get(log);
    if (r == null) {
      return Map.of();
    }
    Map<PeerId, Long> out = new HashMap<>();
    r.forgedBy.forEach((p, n) -> out.put(p, n.get()));
    return Map.copyOf(out);
  }

  /** Announces {@code log}'s heads to every connected peer now (as after a local append). */
  public void announce(Cid log) {
    Replica r = replicas.get(log);
    if (r != null) {
      run(() -> connectedPeers().forEach(p -> announce(p, List.of(r))));
    }
  }

  /**
   * Stops serving and fetching, and waits (up to 30 s) for the joins of fetched entries in
   * progress, so the caller may close the store afterwards. Blocks: call it off event loops.
   */
  public Future<Void> close() {
    if (!joins.close(Duration.ofSeconds(30))) {
      LOG.log(System.Logger.Level.WARNING, "log sync: a join was still running after 30 s");
    }
    host.removeHandler(PROTOCOL);
    offer.close();
    replicas.values().forEach(r -> r.unsubscribe.run());
    replicas.clear();
    run(() -> vertx.cancelTimer(periodic));
    return Future.succeededFuture();
  }

  private void run(Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }

  private List<PeerId> connectedPeers() {
    Set<PeerId> peers = new LinkedHashSet<>();
    for (Connection c : host.connections()) {
      peers.add(c.remotePeer());
    }
    return new ArrayList<>(peers);
  }

  // ---- announcing

  private void scheduleAnnounce(Replica r) {
    if (r.announcePending) {
      return;
    }
    r.announcePending = true;
    vertx.setTimer(
        Math.max(1, options.announceDebounce().toMillis()),
        id -> {
          r.announcePending = false;
          connectedPeers().forEach(p -> announce(p, List.of(r)));
        });
  }

  private void announce(PeerId peer, Collection<Replica> which) {
    if (which.isEmpty()) {
      return;
    }
    List<Replica> list = List.copyOf(which);
    host.newStream(peer, PROTOCOL)
        .onSuccess(
            s -> {
              s.write(encodeHeads(list));
              s.end();
            })
        .onFailure(
            e ->
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "cannot announce log heads to {0}: {1}",
                    peer,
                    e.getMessage()));
  }

  /** On a worker: one heads message per log, up to the limits, as one buffer. */
  private Buffer encodeHeads(List<Replica> list) {
    Buffer out = Buffer.buffer();
    for (Replica r : list.subList(0, Math.min(list.size(), options.maxLogsPerAnnounce()))) {
      List<Cid> heads = r.log.heads();
      out.appendBuffer(
          codec.encode(
              new SyncMessage.Heads(
                  r.log.id(), heads.subList(0, Math.min(heads.size(), options.maxCids())))));
    }
    return out;
  }

  // ---- inbound streams

  private void inbound(Stream stream) {
    PeerId peer = stream.connection().remotePeer();
    MessageReader reader = new MessageReader(vertx, codec, stream, options.maxMessageBytes());
    int[] announced = {0};
    stream.exceptionHandler(e -> stream.reset());
    reader.start(
        () -> {},
        m -> {
          if (m instanceof SyncMessage.Heads h) {
            if (++announced[0] > options.maxLogsPerAnnounce()) {
              throw new SyncException("the peer announced more than the log limit");
            }
            run(() -> onHeads(peer, h));
          } else if (m instanceof SyncMessage.Want w && announced[0] == 0) {
            reader.stop();
            serve(peer, stream, w);
          } else {
            throw new SyncException("unexpected " + m.getClass().getSimpleName());
          }
        },
        v -> stream.end(),
        e -> {
          LOG.log(
              System.Logger.Level.WARNING,
              "log sync: dropping a stream from {0}: {1}",
              peer,
              e.getMessage());
          stream.reset();
        });
  }

  private void serve(PeerId peer, Stream stream, SyncMessage.Want want) {
    Replica r = replicas.get(want.log());
    if (r == null) {
      refuse(stream, "this node does not hold log " + want.log());
      return;
    }
    if (servingTo.merge(peer, 1, Integer::sum) > options.maxServingPerPeer()) {
      servingTo.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
      refuse(stream, "busy: too many deltas in progress for this peer");
      return;
    }
    Runnable release = () -> servingTo.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
    if (serving.incrementAndGet() > options.maxServing()) {
      serving.decrementAndGet();
      release.run();
      refuse(stream, "busy: too many deltas in progress");
      return;
    }
    new DeltaServer(
            vertx,
            codec,
            options,
            stream,
            r.log,
            () -> {
              serving.decrementAndGet();
              release.run();
            })
        .serve(want);
  }

  private void refuse(Stream stream, String why) {
    stream.write(codec.encode(new SyncMessage.Done(0, why)));
    stream.end();
  }

  // ---- fetching

  private void onHeads(PeerId peer, SyncMessage.Heads h) {
    Replica r = replicas.get(h.log());
    if (r == null || faults.ignored(peer)) {
      return;
    }
    r.peers.add(peer);
    if (r.inFlight) {
      r.queued.put(peer, h.heads());
      return;
    }
    vertx
        .executeBlocking(
            () -> {
              boolean lacking = h.heads().stream().anyMatch(c -> !r.log.contains(c));
              boolean behind = !lacking && !r.log.reaches(h.heads(), r.log.heads());
              return lacking ? 1 : behind ? 2 : 0;
            },
            false)
        .onSuccess(
            what -> {
              if (what == 1) {
                fetch(r, peer, h.heads());
              } else if (what == 2) {
                announce(peer, List.of(r));
              }
            });
  }

  private void fetch(Replica r, PeerId peer, List<Cid> want) {
    if (r.inFlight) {
      r.queued.put(peer, want);
      return;
    }
    if (wantsCheckpoint(r) && r.askedForCheckpoint.add(peer)) {
      startFromCheckpoint(r, peer, want);
      return;
    }
    r.inFlight = true;
    r.remaining.set(0);
    host.newStream(peer, PROTOCOL)
        .compose(
            s -> {
              SyncMessage.Want w =
                  new SyncMessage.Want(
                      r.log.id(),
                      r.log.anchors(options.maxCids()),
                      want,
                      options.maxDeltaEntries());
              return new DeltaFetch(
                      vertx,
                      codec,
                      options,
                      s,
                      r.log,
                      res -> joined(r, peer, res),
                      r.remaining::set,
                      joins)
                  .run(w);
            })
        .onComplete(
            ar ->
                run(() -> fetched(r, peer, want, ar.succeeded() ? ar.result() : null, ar.cause())));
  }

  /**
   * Whether the replica would start from a peer's checkpoint: it holds no final checkpoint and
   * started from none (empty, or a prefix left by a restart before the history arrived).
   */
  private static boolean wantsCheckpoint(Replica r) {
    return r.log.startedFrom().isEmpty() && r.log.checkpoints().latestFinal().isEmpty();
  }

  /**
   * A replica without a final checkpoint first asks the peer for its latest one (ADR 027): a bundle
   * that holds up is vouched, so the replica answers from it at once and the covered history that
   * follows skips its signature checks; a forged one gets the peer ignored. Then the delta.
   */
  private void startFromCheckpoint(Replica r, PeerId peer, List<Cid> want) {
    r.inFlight = true;
    offer
        .ask(peer, r.log)
        .onComplete(
            ar ->
                run(
                    () -> {
                      r.inFlight = false;
                      if (ar.succeeded()) {
                        ar.result()
                            .filter(f -> wantsCheckpoint(r))
                            .ifPresent(
                                f -> {
                                  r.log.vouch(f);
                                  LOG.log(
                                      System.Logger.Level.INFO,
                                      "log {0}: starting from final checkpoint {1} ({2} entries)"
                                          + " offered by {3}",
                                      r.log.id(),
                                      f.checkpoint().cid(),
                                      f.checkpoint().count(),
                                      peer);
                                });
                      } else if (ar.cause() instanceof ForgedCheckpointException forged) {
                        faults.forgedCheckpoint(r.log.id(), peer, forged.getMessage());
                        r.forgedBy.computeIfAbsent(peer, p -> new AtomicLong()).incrementAndGet();
                      } else {
                        LOG.log(
                            System.Logger.Level.INFO,
                            "log {0}: no checkpoint from {1}: {2}",
                            r.log.id(),
                            peer,
                            ar.cause().getMessage());
                      }
                      if (!faults.ignored(peer)) {
                        fetch(r, peer, want);
                      } else {
                        fetched(r, peer, want, new DeltaFetch.Outcome(0, 0, 0, true), null);
                      }
                    }));
  }

  /** On a worker, after each group of a delta was verified and stored. */
  private void joined(Replica r, PeerId peer, JoinResult res) {
    r.fetched.addAndGet(res.added().size() + res.rejected().size());
    r.verified.addAndGet(res.added().size());
    if (!res.rejected().isEmpty()) {
      // Logged before counted: whoever sees the count can find the log lines.
      faults.refused(r.log.id(), peer, res.rejected());
      r.rejectedBy.computeIfAbsent(peer, p -> new AtomicLong()).addAndGet(res.rejected().size());
      r.rejected.addAndGet(res.rejected().size());
    }
    if (!res.added().isEmpty()) {
      r.changed.accept(r.log);
    }
  }

  private void fetched(
      Replica r, PeerId peer, List<Cid> want, DeltaFetch.Outcome outcome, Throwable failure) {
    r.inFlight = false;
    r.remaining.set(0);
    if (failure != null) {
      // A peer that broke the protocol is worth a warning; a dropped connection or a busy peer
      // is not.
      LOG.log(
          failure instanceof SyncException ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
          "log {0}: delta from {1} failed: {2}",
          r.log.id(),
          peer,
          failure.getMessage());
    } else if (!outcome.complete() && outcome.added() > 0 && !faults.ignored(peer)) {
      // The peer capped its answer: ask for the rest, from where the stored part ends.
      fetch(r, peer, want);
      return;
    }
    if (!r.queued.isEmpty()) {
      Map<PeerId, List<Cid>> q = new HashMap<>(r.queued);
      r.queued.clear();
      q.forEach((p, heads) -> onHeads(p, new SyncMessage.Heads(r.log.id(), heads)));
    }
  }
}
