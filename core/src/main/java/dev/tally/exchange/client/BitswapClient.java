package dev.tally.exchange.client;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.Session;
import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.BlockPresence;
import dev.tally.exchange.message.Payload;
import dev.tally.exchange.message.PresenceType;
import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.network.BitswapNetwork;
import dev.tally.exchange.network.Contexts;
import dev.tally.exchange.network.Traffic;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The client side of Bitswap: routes presences and blocks to the sessions that want them, batches
 * each peer's wantlist changes into one message per turn of the event loop, and checks every
 * received block. A block's CID is rebuilt by hashing its bytes (on a worker thread), so it is
 * accepted only if that hash is one a session wants; anything else is dropped, and a peer that
 * sends a block nobody asked it for (corrupt bytes hash to a CID nobody wants) is marked bad and
 * its wants are re-asked elsewhere. Confined to the exchange context.
 */
public final class BitswapClient {
  private static final System.Logger LOG = System.getLogger(BitswapClient.class.getName());

  /**
   * Entries per outgoing want message: keeps a burst of wants far under the message limit (512
   * entries of 36-byte CIDs take about 25 KB; the network splits a message of longer CIDs that
   * would pass it, ADR 045). Not a config key: it only splits a burst, and {@code
   * Internal.Bitswap.MaxLiveWantsPerSession} bounds the wants out (ADR 038).
   */
  private static final int MAX_ENTRIES_PER_MESSAGE = 512;

  private final Vertx vertx;
  private final Context ctx;
  private final Blockstore store;
  private final BitswapNetwork network;
  private final ClientOptions options;
  private final Consumer<List<Cid>> onStored;
  private final Traffic traffic;
  private final Map<Multihash, Set<ClientSession>> interest = new HashMap<>();
  private final Map<PeerId, PeerWants> peers = new HashMap<>();
  private final Set<ClientSession> sessions = new LinkedHashSet<>();
  private final Set<PeerId> badPeers = new HashSet<>();
  private final Map<Multihash, List<Probe>> probes = new HashMap<>();

  /** One {@link #whoHas} question: the peers asked, and those that answered. */
  private static final class Probe {
    final Cid cid;
    final Set<PeerId> asked;
    final Set<PeerId> answered = new HashSet<>();
    final Set<PeerId> have = new LinkedHashSet<>();
    final Promise<List<PeerId>> done = Promise.promise();
    long timer;

    Probe(Cid cid, Set<PeerId> asked) {
      this.cid = cid;
      this.asked = asked;
    }
  }

  /**
   * @param onStored told (on the exchange context) the CIDs of blocks just stored, so the server
   *     can serve peers waiting for them
   */
  public BitswapClient(
      Vertx vertx,
      Context ctx,
      Blockstore store,
      BitswapNetwork network,
      ClientOptions options,
      Consumer<List<Cid>> onStored,
      Traffic traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.ctx = ctx;
    this.store = store;
    this.network = network;
    this.options = options;
    this.onStored = onStored;
  }

  public Session newSession() {
    ClientSession s = new ClientSession(this, vertx, ctx, options);
    Contexts.run(ctx, () -> sessions.add(s));
    return s;
  }

  /** Every CID some session still waits for, without duplicates (call on the exchange context). */
  public List<Cid> wantlist() {
    Set<Cid> out = new LinkedHashSet<>();
    for (ClientSession s : sessions) {
      out.addAll(s.wanted());
    }
    return List.copyOf(out);
  }

  /** Peers found to send corrupt or unrequested blocks. */
  public Set<PeerId> badPeers() {
    return Set.copyOf(badPeers);
  }

  /**
   * Asks every connected peer whether it holds {@code cid} (want-have, with DONT_HAVE asked for);
   * completes with the peers that said HAVE (or sent the block) once every peer answered or {@code
   * timeoutMillis} passed, then cancels the question.
   */
  public Future<List<PeerId>> whoHas(Cid cid, long timeoutMillis) {
    Set<PeerId> asked = new LinkedHashSet<>(network.peers());
    Probe probe = new Probe(cid, asked);
    if (asked.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    probes.computeIfAbsent(cid.multihash(), k -> new ArrayList<>()).add(probe);
    for (PeerId p : asked) {
      send(p, WantEntry.wantHave(cid, Integer.MAX_VALUE));
    }
    probe.timer = vertx.setTimer(timeoutMillis, id -> Contexts.run(ctx, () -> endProbe(probe)));
    return probe.done.future();
  }

  private void probeAnswer(PeerId from, Multihash mh, boolean has) {
    List<Probe> list = probes.get(mh);
    if (list == null) {
      return;
    }
    for (Probe p : List.copyOf(list)) {
      if (p.asked.contains(from)) {
        p.answered.add(from);
        if (has) {
          p.have.add(from);
        }
        if (p.answered.containsAll(p.asked)) {
          endProbe(p);
        }
      }
    }
  }

  private void endProbe(Probe p) {
    if (p.done.future().isComplete()) {
      return;
    }
    vertx.cancelTimer(p.timer);
    Multihash mh = p.cid.multihash();
    List<Probe> list = probes.get(mh);
    if (list != null && list.remove(p) && list.isEmpty()) {
      probes.remove(mh);
    }
    if (!interest.containsKey(mh) && !probes.containsKey(mh)) {
      for (PeerId peer : p.asked) {
        if (network.peers().contains(peer)) {
          send(peer, WantEntry.cancel(p.cid));
        }
      }
    }
    p.done.complete(List.copyOf(p.have));
  }

  /** Handles the presences and blocks of one message; completes once its blocks are stored. */
  public Future<Void> receive(PeerId from, BitswapMessage message) {
    for (BlockPresence p : message.presences()) {
      probeAnswer(from, p.cid().multihash(), p.type() == PresenceType.HAVE);
      for (ClientSession s : sessionsWanting(p.cid().multihash())) {
        s.onPresence(from, p.cid(), p.type());
      }
    }
    if (message.blocks().isEmpty()) {
      return Future.succeededFuture();
    }
    List<Payload> payloads = message.blocks();
    return vertx
        .executeBlocking(() -> hashAll(payloads), false)
        .compose(hashed -> keepWanted(from, hashed));
  }

  /** Worker thread: rebuilds each block's CID from its bytes; null marks bytes that cannot hash. */
  private static List<Block> hashAll(List<Payload> payloads) {
    List<Block> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) {
      try {
        out.add(p.toBlock());
      } catch (RuntimeException e) {
        out.add(null);
      }
    }
    return out;
  }

  private Future<Void> keepWanted(PeerId from, List<Block> hashed) {
    List<Block> wanted = new ArrayList<>();
    for (Block b : hashed) {
      if (b == null) {
        strike(from, "a block whose prefix cannot be hashed");
        continue;
      }
      Multihash mh = b.cid().multihash();
      probeAnswer(from, mh, true);
      if (interest.containsKey(mh)) {
        wanted.add(b);
      } else if (!askedOf(from, mh)) {
        strike(from, "block " + b.cid() + ", which no one asked it for");
      }
    }
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(
            () -> {
              store.putAll(wanted);
              return null;
            },
            false)
        .map(
            v -> {
              List<Cid> cids = new ArrayList<>(wanted.size());
              long bytes = 0;
              for (Block b : wanted) {
                bytes += b.size();
                cids.add(b.cid());
                for (ClientSession s : sessionsWanting(b.cid().multihash())) {
                  s.onBlock(from, b);
                }
              }
              onStored.accept(cids);
              traffic.received(from, wanted.size(), bytes);
              return null;
            });
  }

  private boolean askedOf(PeerId peer, Multihash mh) {
    PeerWants w = peers.get(peer);
    return w != null && w.asked.containsKey(mh);
  }

  private void strike(PeerId peer, String what) {
    LOG.log(
        badPeers.add(peer) ? Level.WARNING : Level.DEBUG,
        "peer {0} sent {1}; its bytes match no wanted CID, so it is deprioritised",
        peer,
        what);
    for (ClientSession s : List.copyOf(sessions)) {
      s.onBadPeer(peer);
    }
  }

  public void peerConnected(PeerId peer) {
    for (ClientSession s : List.copyOf(sessions)) {
      s.onPeerConnected(peer);
    }
  }

  public void peerDisconnected(PeerId peer) {
    for (List<Probe> list : List.copyOf(probes.values())) {
      for (Probe p : List.copyOf(list)) {
        p.asked.remove(peer);
        if (p.answered.containsAll(p.asked)) {
          endProbe(p);
        }
      }
    }
    peers.remove(peer);
    badPeers.remove(peer);
    for (ClientSession s : List.copyOf(sessions)) {
      s.onPeerDisconnected(peer);
    }
  }

  private List<ClientSession> sessionsWanting(Multihash mh) {
    Set<ClientSession> s = interest.get(mh);
    return s == null ? List.of() : List.copyOf(s);
  }

  // Called by sessions, on the exchange context.

  List<PeerId> connectedPeers() {
    return network.peers();
  }

  boolean isBad(PeerId peer) {
    return badPeers.contains(peer);
  }

  void register(Multihash mh, ClientSession s) {
    interest.computeIfAbsent(mh, k -> new LinkedHashSet<>()).add(s);
  }

  void unregister(Multihash mh, ClientSession s) {
    Set<ClientSession> set = interest.get(mh);
    if (set != null && set.remove(s) && set.isEmpty()) {
      interest.remove(mh);
    }
  }

  /** True if another session still wants the block (so a cancel must not be sent). */
  boolean wantedByOthers(Multihash mh, ClientSession s) {
    Set<ClientSession> set = interest.get(mh);
    return set != null && (set.size() > 1 || !set.contains(s));
  }

  void closed(ClientSession s) {
    sessions.remove(s);
  }

  /** Queues a wantlist change for {@code peer}; sent with the others at the end of this turn. */
  void send(PeerId peer, WantEntry entry) {
    PeerWants w = peers.computeIfAbsent(peer, p -> new PeerWants(options.askedMemory()));
    Multihash mh = entry.cid().multihash();
    if (!entry.cancel()) {
      w.asked.put(mh, Boolean.TRUE);
    }
    w.pending.put(mh, entry);
    if (!w.flushScheduled) {
      w.flushScheduled = true;
      ctx.runOnContext(v -> flush(peer, w));
    }
  }

  private void flush(PeerId peer, PeerWants w) {
    w.flushScheduled = false;
    List<WantEntry> all = new ArrayList<>(w.pending.values());
    w.pending.clear();
    for (int i = 0; i < all.size(); i += MAX_ENTRIES_PER_MESSAGE) {
      List<WantEntry> part = all.subList(i, Math.min(all.size(), i + MAX_ENTRIES_PER_MESSAGE));
      network
          .send(peer, BitswapMessage.wants(part))
          .onFailure(
              e -> LOG.log(Level.DEBUG, "sending wants to {0} failed: {1}", peer, e.toString()));
    }
  }

  /** Outgoing wantlist changes of one peer, and the CIDs recently asked of it (bounded, LRU). */
  private static final class PeerWants {
    final Map<Multihash, WantEntry> pending = new LinkedHashMap<>();
    final Map<Multihash, Boolean> asked;
    boolean flushScheduled;

    PeerWants(int memory) {
      asked =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Multihash, Boolean> eldest) {
              return size() > memory;
            }
          };
    }
  }
}
