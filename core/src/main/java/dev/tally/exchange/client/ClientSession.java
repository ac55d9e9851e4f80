package dev.tally.exchange.client;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.ExchangeException;
import dev.tally.exchange.Session;
import dev.tally.exchange.message.PresenceType;
import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.network.Contexts;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One session's wants. A want is first sent as want-have to every connected peer (or as want-block
 * to the least-loaded peer that already served this session, want-have to the rest); the first HAVE
 * earns that peer the want-block. Each want has a re-ask deadline (another peer that has it, or a
 * fresh want-have broadcast) and an overall timeout. Live wants are bounded; the rest wait in a
 * bounded queue. Confined to the exchange context.
 */
final class ClientSession implements Session {
  private final BitswapClient client;
  private final Vertx vertx;
  private final Context ctx;
  private final ClientOptions options;
  private final Map<Multihash, Want> live = new LinkedHashMap<>();
  private final Map<Multihash, Want> queuedIndex = new HashMap<>();
  private final ArrayDeque<Want> queued = new ArrayDeque<>();
  private final Map<PeerId, PeerStat> known = new LinkedHashMap<>();
  private final Map<PeerId, Long> received = new ConcurrentHashMap<>();
  private int nextPriority = Integer.MAX_VALUE;
  private boolean closed;

  ClientSession(BitswapClient client, Vertx vertx, Context ctx, ClientOptions options) {
    this.client = client;
    this.vertx = vertx;
    this.ctx = ctx;
    this.options = options;
  }

  /** The CIDs this session still waits for (live and queued), on the exchange context. */
  List<Cid> wanted() {
    List<Cid> out = new ArrayList<>(live.size() + queued.size());
    live.values().forEach(w -> out.add(w.cid));
    queued.forEach(w -> out.add(w.cid));
    return out;
  }

  private static final class Want {
    final Cid cid;
    final Promise<Block> promise = Promise.promise();
    final Set<PeerId> haves = new LinkedHashSet<>();
    final Set<PeerId> dontHaves = new LinkedHashSet<>();
    final Set<PeerId> tried = new LinkedHashSet<>();
    final Set<PeerId> asked = new LinkedHashSet<>();
    final int priority;
    PeerId blockPeer;
    long sentAt;
    long reaskTimer = -1;
    long deadlineTimer = -1;

    Want(Cid cid, int priority) {
      this.cid = cid;
      this.priority = priority;
    }
  }

  /** What the session learnt about a peer: load (want-blocks out) and block latency. */
  private static final class PeerStat {
    int outstanding;
    double latencyMillis = -1;
    long blocks;
  }

  @Override
  public Future<Block> get(Cid cid) {
    return Contexts.call(ctx, () -> want(cid));
  }

  @Override
  public Map<PeerId, Long> blocksByPeer() {
    return Map.copyOf(received);
  }

  @Override
  public void close() {
    Contexts.run(
        ctx,
        () -> {
          if (closed) {
            return;
          }
          closed = true;
          ExchangeException e = new ExchangeException("the exchange session was closed");
          for (Want w : new ArrayList<>(queued)) {
            w.promise.tryFail(e);
          }
          queued.clear();
          queuedIndex.clear();
          for (Want w : new ArrayList<>(live.values())) {
            finish(w, null);
            w.promise.tryFail(e);
          }
          client.closed(this);
        });
  }

  private Future<Block> want(Cid cid) {
    if (closed) {
      return Future.failedFuture(new ExchangeException("the exchange session is closed"));
    }
    Multihash mh = cid.multihash();
    Want existing = live.getOrDefault(mh, queuedIndex.get(mh));
    if (existing != null) {
      return existing.promise.future().map(b -> named(b, cid));
    }
    Want w = new Want(cid, nextPriority--);
    if (live.size() < options.maxLiveWants()) {
      activate(w);
    } else if (queued.size() < options.maxQueuedWants()) {
      queued.add(w);
      queuedIndex.put(mh, w);
    } else {
      return Future.failedFuture(
          new ExchangeException(
              "the session already has "
                  + queued.size()
                  + " wants queued (the limit); wait for some to finish"));
    }
    return w.promise.future();
  }

  private static Block named(Block b, Cid cid) {
    return b.cid().equals(cid) ? b : Block.ofOwned(cid, b.bytes());
  }

  private void activate(Want w) {
    live.put(w.cid.multihash(), w);
    client.register(w.cid.multihash(), this);
    w.deadlineTimer =
        vertx.setTimer(
            options.wantTimeout().toMillis(), id -> Contexts.run(ctx, () -> timedOut(w)));
    List<PeerId> peers = client.connectedPeers();
    Optional<PeerId> best = best(known.keySet().stream().filter(peers::contains).toList(), w);
    best.ifPresent(p -> sendWantBlock(w, p));
    for (PeerId p : peers) {
      if (!best.isPresent() || !best.get().equals(p)) {
        sendWantHave(w, p);
      }
    }
    armReask(w);
  }

  private void activateQueued() {
    while (!closed && live.size() < options.maxLiveWants() && !queued.isEmpty()) {
      Want w = queued.poll();
      queuedIndex.remove(w.cid.multihash());
      activate(w);
    }
  }

  /**
   * The best peer for a want-block: good before bad, least loaded, then fastest; none that holds
   * more than its share of the live wants, so the first peer to answer HAVE cannot take every want
   * of a burst while the others sit idle (the multi-source download).
   */
  private Optional<PeerId> best(List<PeerId> candidates, Want w) {
    int share = live.size() / Math.max(1, client.connectedPeers().size()) + 1;
    return candidates.stream()
        .filter(p -> !w.tried.contains(p) && !w.dontHaves.contains(p))
        .filter(p -> stat(p).outstanding < share)
        .min(
            Comparator.comparing((PeerId p) -> client.isBad(p))
                .thenComparingInt(p -> stat(p).outstanding)
                .thenComparingDouble(p -> stat(p).latencyMillis));
  }

  private PeerStat stat(PeerId p) {
    return known.computeIfAbsent(p, k -> new PeerStat());
  }

  private void sendWantBlock(Want w, PeerId p) {
    w.blockPeer = p;
    w.sentAt = System.nanoTime();
    w.asked.add(p);
    stat(p).outstanding++;
    client.send(p, WantEntry.wantBlock(w.cid, w.priority));
  }

  private void sendWantHave(Want w, PeerId p) {
    if (w.dontHaves.contains(p)) {
      return;
    }
    w.asked.add(p);
    client.send(p, WantEntry.wantHave(w.cid, w.priority));
  }

  private void clearBlockPeer(Want w) {
    if (w.blockPeer != null) {
      PeerStat s = known.get(w.blockPeer);
      if (s != null && s.outstanding > 0) {
        s.outstanding--;
      }
      w.blockPeer = null;
    }
  }

  private void armReask(Want w) {
    w.reaskTimer =
        vertx.setTimer(options.reaskAfter().toMillis(), id -> Contexts.run(ctx, () -> reask(w)));
  }

  /** The per-want deadline passed: the block peer is slow or gone, so ask elsewhere. */
  private void reask(Want w) {
    if (live.get(w.cid.multihash()) != w) {
      return;
    }
    if (w.blockPeer != null) {
      w.tried.add(w.blockPeer);
      clearBlockPeer(w);
    }
    tryNext(w);
    if (w.blockPeer == null) {
      List<PeerId> peers = client.connectedPeers();
      if (w.tried.containsAll(w.haves)) {
        // Every peer that had it was tried: give them another chance rather than none.
        w.tried.clear();
      }
      for (PeerId p : peers) {
        sendWantHave(w, p);
      }
    }
    armReask(w);
  }

  private void tryNext(Want w) {
    if (w.blockPeer != null) {
      return;
    }
    List<PeerId> peers = client.connectedPeers();
    best(w.haves.stream().filter(peers::contains).toList(), w).ifPresent(p -> sendWantBlock(w, p));
  }

  private void timedOut(Want w) {
    if (live.get(w.cid.multihash()) != w) {
      return;
    }
    String msg =
        "no peer sent block "
            + w.cid
            + " within "
            + options.wantTimeout().toMillis()
            + " ms (asked "
            + w.asked.size()
            + " peers; "
            + w.haves.size()
            + " said HAVE, "
            + w.dontHaves.size()
            + " said DONT_HAVE)";
    finish(w, null);
    w.promise.tryFail(new ExchangeException(msg));
  }

  /** Retires a want: timers, interest, cancels at the peers asked (but {@code from}). */
  private void finish(Want w, PeerId from) {
    Multihash mh = w.cid.multihash();
    live.remove(mh);
    vertx.cancelTimer(w.reaskTimer);
    vertx.cancelTimer(w.deadlineTimer);
    clearBlockPeer(w);
    client.unregister(mh, this);
    if (!client.wantedByOthers(mh, this)) {
      for (PeerId p : w.asked) {
        if (!p.equals(from)) {
          client.send(p, WantEntry.cancel(w.cid));
        }
      }
    }
    activateQueued();
  }

  void onPresence(PeerId from, Cid cid, PresenceType type) {
    Want w = live.get(cid.multihash());
    if (w == null) {
      return;
    }
    if (type == PresenceType.HAVE) {
      stat(from);
      w.haves.add(from);
      w.dontHaves.remove(from);
      tryNext(w);
      return;
    }
    w.dontHaves.add(from);
    w.haves.remove(from);
    if (from.equals(w.blockPeer)) {
      clearBlockPeer(w);
      tryNext(w);
    }
    List<PeerId> peers = client.connectedPeers();
    if (w.blockPeer == null && w.haves.isEmpty() && w.dontHaves.containsAll(peers)) {
      finish(w, null);
      w.promise.tryFail(
          new ExchangeException(
              "no connected peer has block "
                  + w.cid
                  + ": all "
                  + peers.size()
                  + " answered DONT_HAVE"));
    }
  }

  void onBlock(PeerId from, Block block) {
    Want w = live.get(block.cid().multihash());
    if (w == null) {
      return;
    }
    PeerStat s = stat(from);
    s.blocks++;
    if (from.equals(w.blockPeer)) {
      double ms = (System.nanoTime() - w.sentAt) / 1e6;
      s.latencyMillis = s.latencyMillis < 0 ? ms : 0.8 * s.latencyMillis + 0.2 * ms;
    }
    received.merge(from, 1L, Long::sum);
    finish(w, from);
    w.promise.tryComplete(named(block, w.cid));
    assignWaiting();
  }

  /** A peer has room again: wants that some peer has but that wait for a want-block get one. */
  private void assignWaiting() {
    for (Want o : new ArrayList<>(live.values())) {
      if (o.blockPeer == null && !o.haves.isEmpty()) {
        tryNext(o);
      }
    }
  }

  void onBadPeer(PeerId peer) {
    for (Want w : new ArrayList<>(live.values())) {
      w.haves.remove(peer);
      if (peer.equals(w.blockPeer)) {
        w.tried.add(peer);
        clearBlockPeer(w);
        tryNext(w);
        if (w.blockPeer == null) {
          for (PeerId p : client.connectedPeers()) {
            if (!p.equals(peer)) {
              sendWantHave(w, p);
            }
          }
        }
      }
    }
  }

  void onPeerConnected(PeerId peer) {
    for (Want w : new ArrayList<>(live.values())) {
      sendWantHave(w, peer);
    }
  }

  void onPeerDisconnected(PeerId peer) {
    known.remove(peer);
    for (Want w : new ArrayList<>(live.values())) {
      w.haves.remove(peer);
      w.dontHaves.remove(peer);
      if (peer.equals(w.blockPeer)) {
        w.blockPeer = null;
        tryNext(w);
      }
    }
  }
}
