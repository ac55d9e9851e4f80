package dev.tally.exchange;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.dag.DagClient;
import dev.tally.exchange.dag.DagRequest;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A running fetch of every block reachable from a root. With peers that speak {@code
 * /tally/dag/1.0.0}, the top levels are walked over Bitswap until there are enough subtrees to
 * share, and the subtrees go out as DAG requests in chunks that each such peer takes from one
 * queue, two running at a time, as it finishes the last (so faster peers serve more, and peers that
 * connect during the fetch take chunks too); whatever those answers lack is then walked over
 * Bitswap like the rest. The Bitswap walk goes depth first in link order (so a file's bytes arrive
 * roughly in order), with at most {@code parallelism} blocks in flight; blocks already in the
 * blockstore are read, not fetched. The walk holds one CID per block still to visit (bounded by
 * {@code maxBlocks}) and no block bytes.
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
  private final DagClient dag;
  private final Supplier<List<PeerId>> dagPeerSource;
  private final Set<PeerId> dagPeers = new LinkedHashSet<>();
  private final Set<PeerId> failedPeers = new HashSet<>();
  private final Map<PeerId, Integer> running = new HashMap<>();
  private long joinTimer = -1;
  private final BiConsumer<PeerId, List<Block>> onStored;
  private final Map<PeerId, Long> dagBlocksByPeer = new ConcurrentHashMap<>();
  private final ArrayDeque<List<Cid>> chunks = new ArrayDeque<>();
  private final List<Cid> leftovers = new ArrayList<>();
  private int requestsRunning;
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
      long maxBlocks,
      DagClient dag,
      Supplier<List<PeerId>> dagPeers,
      BiConsumer<PeerId, List<Block>> onStored) {
    this.dag = dag;
    this.dagPeerSource = dagPeers;
    this.onStored = onStored;
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
          dagPeers.addAll(dagPeerSource.get());
          if (dagPeers.isEmpty()) {
            visit(root);
            pump();
          } else {
            expand(List.of(root), 0);
          }
        });
    return this;
  }

  /**
   * Subtrees per DAG peer: enough that a slow peer holds up only a small share at the end. This and
   * the three scheduling constants below are not config keys: they shape how a fetch is shared out,
   * not what it may cost, which {@code Internal.Bitswap.MaxBlocksInFlightPerFetch} and {@code
   * MaxBlocksPerFetch} bound (ADR 038).
   */
  private static final int CHUNKS_PER_PEER = 8;

  /**
   * DAG requests one peer has running: the next is already on its way when one ends, so the
   * connection does not idle for a round trip between chunks.
   */
  private static final int REQUESTS_PER_PEER = 2;

  /** How often a fetch with chunks still queued looks for peers that joined since it started. */
  private static final long JOIN_POLL_MILLIS = 200;

  /** Levels walked over Bitswap, at most, looking for enough subtrees to share. */
  private static final int MAX_EXPANSIONS = 3;

  /**
   * Fetches one level ({@code frontier}) over Bitswap or from the blockstore; stops when its links
   * are enough subtrees to share among the DAG peers, then hands them out.
   */
  private void expand(List<Cid> frontier, int level) {
    List<Future<List<Cid>>> steps = new ArrayList<>();
    for (Cid c : frontier) {
      seen.add(c.multihash());
      steps.add(step(c));
    }
    Future.all(steps)
        .onComplete(
            ar ->
                Contexts.run(
                    ctx,
                    () -> {
                      if (ar.failed()) {
                        fail(ar.cause());
                        return;
                      }
                      List<Cid> next = new ArrayList<>();
                      for (Future<List<Cid>> f : steps) {
                        blocks.incrementAndGet();
                        for (Cid l : f.result()) {
                          if (!seen.contains(l.multihash()) && !l.multihash().isIdentity()) {
                            next.add(l);
                          }
                        }
                      }
                      if (next.isEmpty()) {
                        pump();
                      } else if (next.size() >= CHUNKS_PER_PEER * dagPeers.size()
                          || level + 1 >= MAX_EXPANSIONS) {
                        share(next);
                      } else {
                        expand(next, level + 1);
                      }
                    }));
  }

  /**
   * Splits the subtrees into contiguous chunks (order kept), starts the DAG peers on them, and
   * while chunks are left, lets peers that connect meanwhile take some.
   */
  private void share(List<Cid> subtrees) {
    int n = Math.max(1, Math.min(subtrees.size(), CHUNKS_PER_PEER * dagPeers.size()));
    int per = (subtrees.size() + n - 1) / n;
    for (int i = 0; i < subtrees.size(); i += per) {
      chunks.add(List.copyOf(subtrees.subList(i, Math.min(subtrees.size(), i + per))));
    }
    for (PeerId p : List.copyOf(dagPeers)) {
      fill(p);
    }
    joinTimer = vertx.setPeriodic(JOIN_POLL_MILLIS, id -> Contexts.run(ctx, this::admitJoiners));
  }

  /** Late joiners: DAG peers connected since the fetch started take chunks like the others. */
  private void admitJoiners() {
    if (chunks.isEmpty() || done.future().isComplete()) {
      vertx.cancelTimer(joinTimer);
      return;
    }
    for (PeerId p : dagPeerSource.get()) {
      if (!failedPeers.contains(p) && dagPeers.add(p)) {
        fill(p);
      }
    }
  }

  /** Gives {@code peer} chunks up to its request limit; once none is left, walks the leftovers. */
  private void fill(PeerId peer) {
    while (!done.future().isComplete()
        && !chunks.isEmpty()
        && dagPeers.contains(peer)
        && running.getOrDefault(peer, 0) < REQUESTS_PER_PEER) {
      request(peer, chunks.poll());
    }
    if (chunks.isEmpty() && requestsRunning == 0 && !done.future().isComplete()) {
      vertx.cancelTimer(joinTimer);
      for (Cid c : leftovers) {
        visit(c);
      }
      leftovers.clear();
      pump();
    }
  }

  private void request(PeerId peer, List<Cid> chunk) {
    requestsRunning++;
    running.merge(peer, 1, Integer::sum);
    DagRequest request = dag.requestFor(chunk, List.of());
    dag.fetchInto(
            peer,
            request,
            store,
            got -> {
              long bytesGot = 0;
              for (Block b : got) {
                bytesGot += b.size();
              }
              blocks.addAndGet(got.size());
              fetched.addAndGet(got.size());
              bytes.addAndGet(bytesGot);
              dagBlocksByPeer.merge(peer, (long) got.size(), Long::sum);
              onStored.accept(peer, got);
            })
        .onComplete(
            ar ->
                Contexts.run(
                    ctx,
                    () -> {
                      requestsRunning--;
                      running.merge(peer, -1, Integer::sum);
                      if (ar.succeeded()) {
                        leftovers.addAll(ar.result().missing());
                      } else {
                        // This peer failed and gets no more chunks; Bitswap fetches its chunk
                        // (what arrived is local). If no other peer is still taking chunks, the
                        // rest go to Bitswap too.
                        failedPeers.add(peer);
                        dagPeers.remove(peer);
                        leftovers.addAll(chunk);
                        if (dagPeers.isEmpty()) {
                          chunks.forEach(leftovers::addAll);
                          chunks.clear();
                        }
                      }
                      fill(peer);
                    }));
  }

  public Cid root() {
    return root;
  }

  /** Completes with the final counters once every reachable block is in the blockstore. */
  public Future<Progress> done() {
    return done.future();
  }

  public Progress progress() {
    return new Progress(blocks.get(), fetched.get(), bytes.get(), blocksByPeer().size());
  }

  /** Blocks fetched so far, per sending peer (Bitswap and DAG requests). */
  public Map<PeerId, Long> blocksByPeer() {
    Map<PeerId, Long> all = new HashMap<>(session.blocksByPeer());
    dagBlocksByPeer.forEach((p, n) -> all.merge(p, n, Long::sum));
    return Map.copyOf(all);
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
    if (inFlight == 0
        && toVisit.isEmpty()
        && requestsRunning == 0
        && chunks.isEmpty()
        && !done.future().isComplete()) {
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
      vertx.cancelTimer(joinTimer);
      toVisit.clear();
      chunks.clear();
      session.close();
    }
  }
}
