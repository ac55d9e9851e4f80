package dev.tally.exchange.server;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.BlockPresence;
import dev.tally.exchange.message.PresenceType;
import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.message.WantType;
import dev.tally.exchange.network.BitswapNetwork;
import dev.tally.exchange.network.Contexts;
import dev.tally.exchange.network.RateLimiter;
import dev.tally.exchange.network.Traffic;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers peers' wants (boxo's engine). Each peer has a {@link Ledger}; each want is read from the
 * blockstore on its own, on a worker thread, so one slow read (a cold disk, a large block, a store
 * under GC) holds up only its own want. Reads are bounded twice: at most {@code maxReadsPerPeer}
 * for one peer and {@code workers} in all; peers with wants to read wait in a round-robin queue
 * that starts one read per turn, so one greedy peer cannot starve the others. Answers finished in
 * one context turn go out as one message of at most {@code targetMessageBytes} of blocks (or one
 * bigger block). A peer whose stream has more than the outstanding-byte limit queued, or whose last
 * answer waits for the upload cap, gets no new reads until that clears. Confined to the exchange
 * context.
 */
public final class BitswapServer {
  private static final System.Logger LOG = System.getLogger(BitswapServer.class.getName());

  private final Vertx vertx;
  private final Context ctx;
  private final Blockstore store;
  private final BitswapNetwork network;
  private final ServerOptions options;
  private final RateLimiter upload;
  private final Traffic traffic;
  private final Map<PeerId, Ledger> ledgers = new HashMap<>();
  private final ArrayDeque<PeerId> ready = new ArrayDeque<>();
  private int reading;
  private long blocksSent;
  private long bytesSent;

  public BitswapServer(
      Vertx vertx,
      Context ctx,
      Blockstore store,
      BitswapNetwork network,
      ServerOptions options,
      RateLimiter upload,
      Traffic traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.ctx = ctx;
    this.store = store;
    this.network = network;
    this.options = options;
    this.upload = upload;
  }

  /** Applies the wantlist part of a message from {@code peer}. */
  public void receive(PeerId peer, BitswapMessage message) {
    if (message.wants().isEmpty() && !message.full()) {
      return;
    }
    Ledger ledger = ledgers.computeIfAbsent(peer, p -> new Ledger(options.maxWantlistEntries()));
    int dropped = ledger.apply(message.wants(), message.full());
    if (dropped > 0) {
      LOG.log(
          Level.INFO,
          "peer {0} wants more than {1} blocks; dropped {2} wants",
          peer,
          options.maxWantlistEntries(),
          dropped);
    }
    if (ledger.idle()) {
      ledgers.remove(peer);
      return;
    }
    enqueue(peer, ledger);
    schedule();
  }

  public void peerDisconnected(PeerId peer) {
    ledgers.remove(peer);
  }

  /** Blocks just stored: serve peers that wanted them and were told nothing yet. */
  public void blocksAdded(Collection<Cid> cids) {
    for (Map.Entry<PeerId, Ledger> e : ledgers.entrySet()) {
      boolean woke = false;
      for (Cid c : cids) {
        woke |= e.getValue().wakeUp(c.multihash());
      }
      if (woke) {
        enqueue(e.getKey(), e.getValue());
      }
    }
    schedule();
  }

  /** The peer's current wantlist (for {@code tally bitswap ledger} and tests). */
  public List<WantEntry> wantlist(PeerId peer) {
    Ledger l = ledgers.get(peer);
    return l == null ? List.of() : l.wants();
  }

  public long blocksSent() {
    return blocksSent;
  }

  public long bytesSent() {
    return bytesSent;
  }

  /** Blockstore reads in flight across all peers (for tests and metrics). */
  public int readsInFlight() {
    return reading;
  }

  private void enqueue(PeerId peer, Ledger ledger) {
    if (!ledger.queued && canRead(ledger)) {
      ledger.queued = true;
      ready.add(peer);
    }
  }

  private boolean canRead(Ledger ledger) {
    return ledger.paused == 0 && ledger.reading < options.maxReadsPerPeer() && ledger.hasTasks();
  }

  /** Starts reads, one per peer per turn of the round robin, while the global bound allows. */
  private void schedule() {
    while (reading < options.workers() && !ready.isEmpty()) {
      PeerId peer = ready.poll();
      Ledger ledger = ledgers.get(peer);
      if (ledger == null) {
        continue;
      }
      ledger.queued = false;
      if (!canRead(ledger)) {
        continue;
      }
      Future<Void> drained = network.whenDrained(peer);
      if (!drained.isComplete()) {
        // Wait without holding a read slot: a slow reader must not stall other peers.
        pauseUntil(peer, ledger, drained);
        continue;
      }
      read(peer, ledger, ledger.take(1).get(0));
      enqueue(peer, ledger);
    }
  }

  private void pauseUntil(PeerId peer, Ledger ledger, Future<?> resumed) {
    ledger.paused++;
    resumed.onComplete(
        v ->
            Contexts.run(
                ctx,
                () -> {
                  ledger.paused--;
                  if (ledgers.get(peer) == ledger) {
                    enqueue(peer, ledger);
                  }
                  schedule();
                }));
  }

  private void read(PeerId peer, Ledger ledger, Ledger.Task task) {
    WantEntry want = task.want();
    reading++;
    ledger.reading(want);
    vertx
        .executeBlocking(() -> store.get(want.cid()), false)
        .onComplete(
            ar ->
                Contexts.run(
                    ctx,
                    () -> {
                      reading--;
                      ledger.read(want);
                      if (ledgers.get(peer) == ledger) {
                        if (ar.succeeded()) {
                          answer(peer, ledger, want, ar.result());
                        } else {
                          LOG.log(
                              Level.WARNING,
                              "reading {0} for {1} failed: {2}",
                              want.cid(),
                              peer,
                              ar.cause().toString());
                        }
                        enqueue(peer, ledger);
                      }
                      schedule();
                    }));
  }

  /** Puts the answer to {@code want} in the peer's outbox, unless the want went meanwhile. */
  private void answer(PeerId peer, Ledger ledger, WantEntry want, Optional<Block> found) {
    if (!ledger.stillWants(want)) {
      // Cancelled (or replaced, and the replacement has its own task) while being read.
      return;
    }
    if (found.isEmpty()) {
      if (want.sendDontHave()) {
        ledger.outbox.add(new BlockPresence(want.cid(), PresenceType.DONT_HAVE));
        ledger.answered(want);
        flushLater(peer, ledger);
      }
      return;
    }
    Block b = found.get();
    if (want.type() == WantType.BLOCK || b.size() <= options.inlineHaveLimit()) {
      if (ledger.outbox.wouldExceed(b.size(), options.targetMessageBytes())) {
        flush(peer, ledger);
      }
      // Name the block as the peer asked for it: CIDv0 and CIDv1 of one multihash share a block.
      ledger.outbox.add(b.cid().equals(want.cid()) ? b : Block.ofOwned(want.cid(), b.bytes()));
    } else {
      ledger.outbox.add(new BlockPresence(want.cid(), PresenceType.HAVE));
    }
    ledger.answered(want);
    if (ledger.outbox.blockBytes() >= options.targetMessageBytes()) {
      flush(peer, ledger);
    } else {
      flushLater(peer, ledger);
    }
  }

  /** Sends at the end of this turn, so answers read at the same time share a message. */
  private void flushLater(PeerId peer, Ledger ledger) {
    if (!ledger.outbox.flushQueued) {
      ledger.outbox.flushQueued = true;
      ctx.runOnContext(
          v -> {
            ledger.outbox.flushQueued = false;
            if (ledgers.get(peer) == ledger) {
              flush(peer, ledger);
            }
          });
    }
  }

  private void flush(PeerId peer, Ledger ledger) {
    if (ledger.outbox.isEmpty()) {
      return;
    }
    long bytes = ledger.outbox.blockBytes();
    int count = ledger.outbox.blockCount();
    BitswapMessage response = ledger.outbox.drain();
    blocksSent += count;
    bytesSent += bytes;
    traffic.sent(peer, count, bytes);
    long wait = upload.reserveMillis(bytes);
    if (wait < 1) {
      send(peer, response);
      return;
    }
    // The peer starts no reads while its answer waits, so the cap bounds what we hold for it.
    Promise<Void> sent = Promise.promise();
    Contexts.runAfter(
        vertx,
        ctx,
        wait,
        () -> {
          send(peer, response);
          sent.complete();
        });
    pauseUntil(peer, ledger, sent.future());
  }

  /** Not awaited: the outstanding-byte limit, checked before each read, bounds the queue. */
  private void send(PeerId peer, BitswapMessage response) {
    network
        .send(peer, response)
        .onFailure(e -> LOG.log(Level.DEBUG, "response to {0} failed: {1}", peer, e.toString()));
  }
}
