package dev.tally.exchange;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.network.Contexts;
import dev.tally.ipld.Block;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running fetch of every block reachable from a root. Links are walked as blocks arrive, depth
 * first in link order (so a file's bytes arrive roughly in order), with at most {@code parallelism}
 * blocks in flight; blocks already in the blockstore are read, not fetched. The walk holds one CID
 * per block still to visit (bounded by {@code maxBlocks}) and no block bytes.
 */
public final class DagFetch {
  /**
   * Counters for a progress bar.
   *
   * @param blocks blocks walked so far (local and fetched)
   * @param fetched blocks that came from peers
   * @param bytes bytes of the fetched blocks
   * @param peers peers that sent at least one block
   */
  public record Progress(long blocks, long fetched, long bytes, int peers) {}

  private final Vertx vertx;
  private final Context ctx;
  private final Blockstore store;
  private final Session session;
  private final Cid root;
  private final int parallelism;
  private final long maxBlocks;
  private final Promise<Progress> done = Promise.promise();
  private final ArrayDeque<Cid> toVisit = new ArrayDeque<>();
  private final Set<Multihash> seen = new HashSet<>();
  private final AtomicLong blocks = new AtomicLong();
  private final AtomicLong fetched = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private int inFlight;

  DagFetch(
      Vertx vertx,
      Context ctx,
      Blockstore store,
      Session session,
      Cid root,
      int parallelism,
      long maxBlocks) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.store = store;
    this.session = session;
    this.root = root;
    this.parallelism = parallelism;
    this.maxBlocks = maxBlocks;
  }

  DagFetch start() {
    Contexts.run(
        ctx,
        () -> {
          visit(root);
          pump();
        });
    return this;
  }

  public Cid root() {
    return root;
  }

  /** Completes with the final counters once every reachable block is in the blockstore. */
  public Future<Progress> done() {
    return done.future();
  }

  public Progress progress() {
    return new Progress(blocks.get(), fetched.get(), bytes.get(), session.blocksByPeer().size());
  }

  /** Blocks fetched so far, per sending peer. */
  public Map<PeerId, Long> blocksByPeer() {
    return session.blocksByPeer();
  }

  /** Stops the walk; {@link #done()} fails with an {@link ExchangeException}. */
  public void cancel() {
    Contexts.run(
        ctx, () -> fail(new ExchangeException("the DAG fetch of " + root + " was cancelled")));
  }

  private void visit(Cid cid) {
    if (!seen.add(cid.multihash())) {
      return;
    }
    if (seen.size() > maxBlocks) {
      fail(
          new ExchangeException(
              "the DAG under " + root + " has more than " + maxBlocks + " blocks (the limit)"));
      return;
    }
    toVisit.push(cid);
  }

  private void pump() {
    while (!done.future().isComplete() && inFlight < parallelism && !toVisit.isEmpty()) {
      Cid cid = toVisit.pop();
      inFlight++;
      Contexts.on(ctx, step(cid))
          .onComplete(
              ar -> {
                inFlight--;
                if (ar.failed()) {
                  fail(ar.cause());
                  return;
                }
                blocks.incrementAndGet();
                List<Cid> links = ar.result();
                for (int i = links.size() - 1; i >= 0; i--) {
                  visit(links.get(i));
                }
                pump();
              });
    }
    if (inFlight == 0 && toVisit.isEmpty() && !done.future().isComplete()) {
      session.close();
      done.tryComplete(progress());
    }
  }

  /** The block's links, reading it locally (worker thread) or fetching it. */
  private Future<List<Cid>> step(Cid cid) {
    return vertx
        .executeBlocking(() -> store.get(cid).map(DagFetch::links), false)
        .compose(
            local -> {
              if (local.isPresent()) {
                return Future.succeededFuture(local.get());
              }
              return session
                  .get(cid)
                  .compose(
                      b -> {
                        fetched.incrementAndGet();
                        bytes.addAndGet(b.size());
                        return vertx.executeBlocking(() -> links(b), false);
                      });
            });
  }

  private static List<Cid> links(Block b) {
    try {
      return Links.of(b);
    } catch (RuntimeException e) {
      throw new ExchangeException(
          "cannot follow the links of block " + b.cid() + ": " + e.getMessage(), e);
    }
  }

  private void fail(Throwable e) {
    if (done.tryFail(e)) {
      toVisit.clear();
      session.close();
    }
  }
}
