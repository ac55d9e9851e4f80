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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers peers' wants (boxo's engine). Each peer has a {@link Ledger}; peers with work wait in a
 * round-robin queue so one greedy peer cannot starve the others; at most {@code workers} lookup
 * batches run at once, on worker threads; a peer whose stream has more than the outstanding-byte
 * limit queued waits for it to drain before its next batch. Confined to the exchange context.
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
  private int running;
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
    if (ledger.size() == 0 && !ledger.busy) {
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

  private void enqueue(PeerId peer, Ledger ledger) {
    if (!ledger.queued && !ledger.busy && ledger.hasTasks()) {
      ledger.queued = true;
      ready.add(peer);
    }
  }

  private void schedule() {
    while (running < options.workers() && !ready.isEmpty()) {
      PeerId peer = ready.poll();
      Ledger ledger = ledgers.get(peer);
      if (ledger == null) {
        continue;
      }
      ledger.queued = false;
      if (ledger.busy || !ledger.hasTasks()) {
        continue;
      }
      ledger.busy = true;
      Future<Void> drained = network.whenDrained(peer);
      if (!drained.isComplete()) {
        // Wait without holding a worker slot: a slow reader must not stall other peers.
        drained.onComplete(
            v -> {
              ledger.busy = false;
              if (ledgers.get(peer) == ledger) {
                enqueue(peer, ledger);
              }
              schedule();
            });
        continue;
      }
      running++;
      serveBatch(peer, ledger)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.log(Level.DEBUG, "serving {0} failed: {1}", peer, ar.cause().toString());
                }
                running--;
                ledger.busy = false;
                if (ledgers.get(peer) == ledger) {
                  enqueue(peer, ledger);
                }
                schedule();
              });
    }
  }

  /** Looks one batch up on a worker thread, then sends what was found. */
  private Future<Void> serveBatch(PeerId peer, Ledger ledger) {
    List<Ledger.Task> batch = ledger.take(options.maxTasksPerBatch());
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(() -> lookup(batch), false)
        .compose(
            r -> {
              for (Ledger.Task t : r.leftover) {
                ledger.requeue(t);
              }
              for (WantEntry w : r.answered) {
                ledger.answered(w);
              }
              if (r.blocks.isEmpty() && r.presences.isEmpty()) {
                return Future.succeededFuture();
              }
              long bytes = 0;
              for (Block b : r.blocks) {
                bytes += b.size();
              }
              blocksSent += r.blocks.size();
              bytesSent += bytes;
              traffic.sent(peer, r.blocks.size(), bytes);
              BitswapMessage response = BitswapMessage.response(r.blocks, r.presences);
              long wait = upload.reserveMillis(bytes);
              if (wait < 1) {
                send(peer, response);
                return Future.succeededFuture();
              }
              // The batch keeps its worker slot while it waits, so the cap holds across peers.
              Promise<Void> sent = Promise.promise();
              vertx.setTimer(
                  wait,
                  id ->
                      Contexts.run(
                          ctx,
                          () -> {
                            send(peer, response);
                            sent.complete();
                          }));
              return sent.future();
            });
  }

  /** Not awaited: the outstanding-byte limit, checked before each batch, bounds the queue. */
  private void send(PeerId peer, BitswapMessage response) {
    network
        .send(peer, response)
        .onFailure(e -> LOG.log(Level.DEBUG, "response to {0} failed: {1}", peer, e.toString()));
  }

  private record Lookup(
      List<Block> blocks,
      List<BlockPresence> presences,
      List<WantEntry> answered,
      List<Ledger.Task> leftover) {}

  /** Runs on a worker thread: touches only the blockstore and its arguments. */
  private Lookup lookup(List<Ledger.Task> batch) {
    List<Block> blocks = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    List<WantEntry> answered = new ArrayList<>();
    List<Ledger.Task> leftover = new ArrayList<>();
    long bytes = 0;
    for (Ledger.Task t : batch) {
      if (bytes >= options.targetMessageBytes()) {
        leftover.add(t);
        continue;
      }
      WantEntry w = t.want();
      Optional<Block> block = store.get(w.cid());
      if (block.isEmpty()) {
        if (w.sendDontHave()) {
          presences.add(new BlockPresence(w.cid(), PresenceType.DONT_HAVE));
          answered.add(w);
        }
        continue;
      }
      Block b = block.get();
      if (w.type() == WantType.BLOCK || b.size() <= options.inlineHaveLimit()) {
        // Name the block as the peer asked for it: CIDv0 and CIDv1 of one multihash share a block.
        blocks.add(b.cid().equals(w.cid()) ? b : Block.ofOwned(w.cid(), b.bytes()));
        bytes += b.size();
      } else {
        presences.add(new BlockPresence(w.cid(), PresenceType.HAVE));
      }
      answered.add(w);
    }
    return new Lookup(blocks, presences, answered, leftover);
  }
}
