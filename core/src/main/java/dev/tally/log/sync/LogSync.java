package dev.tally.log.sync;

import dev.tally.crypto.PeerId;
import dev.tally.log.JoinResult;
import dev.tally.log.Log;
import dev.tally.log.LogVerificationException;
import dev.tally.multiformats.Cid;
import dev.tally.net.Connection;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
  private final Map<PeerId, Long> penalised = new HashMap<>();
  private final Map<PeerId, Long> rejectsByPeer = new HashMap<>();
  private long periodic = -1;

  /** One tracked log and its replication state (fields other than counters: ctx only). */
  private final class Replica {
    final Log log;
    final Consumer<Log> changed;
    final Runnable unsubscribe;
    final java.util.concurrent.atomic.AtomicLong fetched =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong verified =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong rejected =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong remaining =
        new java.util.concurrent.atomic.AtomicLong();
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
  }

  /** Serves the protocol and starts announcing heads: on connect and every anti-entropy tick. */
  public LogSync start() {
    host.setHandler(PROTOCOL, this::inbound);
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

  /** Announces {@code log}'s heads to every connected peer now (as after a local append). */
  public void announce(Cid log) {
    Replica r = replicas.get(log);
    if (r != null) {
      run(() -> connectedPeers().forEach(p -> announce(p, List.of(r))));
    }
  }

  public Future<Void> close() {
    host.removeHandler(PROTOCOL);
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
              int n = 0;
              for (Replica r : list) {
                if (n++ == options.maxLogsPerAnnounce()) {
                  break;
                }
                List<Cid> heads = r.log.heads();
                s.write(
                    codec.encode(
                        new SyncMessage.Heads(
                            r.log.id(),
                            heads.subList(0, Math.min(heads.size(), options.maxCids())))));
              }
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

  // ---- inbound streams

  private void inbound(Stream stream) {
    PeerId peer = stream.connection().remotePeer();
    SyncFrames frames = new SyncFrames(options.maxMessageBytes());
    int[] announced = {0};
    boolean[] serving = {false};
    stream.exceptionHandler(e -> stream.reset());
    stream.endHandler(
        v -> {
          if (!serving[0]) {
            stream.end();
          }
        });
    stream.handler(
        data -> {
          try {
            frames.feed(data);
            Optional<byte[]> f;
            while (!serving[0] && (f = frames.next()).isPresent()) {
              SyncMessage m = codec.decode(f.get());
              if (m instanceof SyncMessage.Heads h) {
                if (++announced[0] > options.maxLogsPerAnnounce()) {
                  throw new SyncException("the peer announced more than the log limit");
                }
                run(() -> onHeads(peer, h));
              } else if (m instanceof SyncMessage.Want w && announced[0] == 0) {
                serving[0] = true;
                serve(peer, stream, w);
              } else {
                throw new SyncException("unexpected " + m.getClass().getSimpleName());
              }
            }
          } catch (RuntimeException e) {
            LOG.log(
                System.Logger.Level.WARNING,
                "log sync: dropping a stream from {0}: {1}",
                peer,
                e.getMessage());
            stream.reset();
          }
        });
    stream.resume();
  }

  private void serve(PeerId peer, Stream stream, SyncMessage.Want want) {
    Replica r = replicas.get(want.log());
    if (r == null) {
      stream.write(
          codec.encode(new SyncMessage.Done(0, "this node does not hold log " + want.log())));
      stream.end();
      return;
    }
    if (serving.incrementAndGet() > options.maxServing()) {
      serving.decrementAndGet();
      stream.write(codec.encode(new SyncMessage.Done(0, "busy: too many deltas in progress")));
      stream.end();
      return;
    }
    new DeltaServer(vertx, codec, options, stream, r.log, serving::decrementAndGet).serve(want);
  }

  // ---- fetching

  private boolean isPenalised(PeerId peer) {
    Long until = penalised.get(peer);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until > 0) {
      penalised.remove(peer);
      rejectsByPeer.remove(peer);
      return false;
    }
    return true;
  }

  private void onHeads(PeerId peer, SyncMessage.Heads h) {
    Replica r = replicas.get(h.log());
    if (r == null || isPenalised(peer)) {
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
                      r.remaining::set)
                  .run(w);
            })
        .onComplete(
            ar ->
                run(() -> fetched(r, peer, want, ar.succeeded() ? ar.result() : null, ar.cause())));
  }

  /** On a worker, after each group of a delta was verified and stored. */
  private void joined(Replica r, PeerId peer, JoinResult res) {
    r.fetched.addAndGet(res.added().size() + res.rejected().size());
    r.verified.addAndGet(res.added().size());
    r.rejected.addAndGet(res.rejected().size());
    for (LogVerificationException e : res.rejected()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "log {0}: refused an entry from peer {1}: {2}",
          r.log.id(),
          peer,
          e.getMessage());
    }
    if (!res.added().isEmpty()) {
      r.changed.accept(r.log);
    }
    if (!res.rejected().isEmpty()) {
      run(() -> noteRejects(peer, res.rejected().size()));
    }
  }

  private void noteRejects(PeerId peer, int n) {
    long total = rejectsByPeer.merge(peer, (long) n, Long::sum);
    if (total > options.maxRejectsPerPeer() && !penalised.containsKey(peer)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "log sync: ignoring peer {0} for {1} s after {2} invalid entries",
          peer,
          options.penalty().toSeconds(),
          total);
      penalised.put(peer, System.nanoTime() + options.penalty().toNanos());
    }
  }

  private void fetched(
      Replica r, PeerId peer, List<Cid> want, DeltaFetch.Outcome outcome, Throwable failure) {
    r.inFlight = false;
    r.remaining.set(0);
    if (failure != null) {
      LOG.log(
          System.Logger.Level.INFO,
          "log {0}: delta from {1} failed: {2}",
          r.log.id(),
          peer,
          failure.getMessage());
    } else if (!outcome.complete() && outcome.added() > 0 && !isPenalised(peer)) {
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
