package dev.tally.exchange.dag;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.network.Contexts;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.net.Host;
import dev.tally.net.PeerInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Asks peers for DAGs over {@code /tally/dag/1.0.0}. {@link #request} gives the verified blocks as
 * a stream; {@link #fetchInto} stores them and reports what is missing. Safe from any thread.
 */
public final class DagClient {
  /**
   * Block bytes stored per blockstore write. Not a config key: a batching detail; the memory a
   * response may hold is bounded by {@code Internal.Dag.CreditWindow} (ADR 038).
   */
  private static final long STORE_BATCH = 4L * 1024 * 1024;

  private final Vertx vertx;
  private final Context ctx;
  private final Host host;
  private final DagOptions options;
  private final int maxBlockSize;

  public DagClient(Vertx vertx, Context ctx, Host host, DagOptions options, int maxBlockSize) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.host = host;
    this.options = options;
    this.maxBlockSize = maxBlockSize;
  }

  /** Whether {@code peer} announced the protocol (through identify). */
  public boolean speaks(PeerId peer) {
    return host.peerStore()
        .get(peer)
        .map(PeerInfo::protocols)
        .map(p -> p.contains(DagProtocol.ID))
        .orElse(false);
  }

  /** A request for everything under {@code root} but {@code stop}, with this node's limits. */
  public DagRequest requestFor(List<Cid> roots, List<Cid> stop) {
    return new DagRequest(
        roots, stop, DagRequest.UNLIMITED, options.maxBlocks(), options.creditWindow());
  }

  /** Sends {@code request} to {@code peer}; the response streams its verified blocks. */
  public DagResponse request(PeerId peer, DagRequest request) {
    DagResponse r = new DagResponse(vertx, ctx, peer, request, maxBlockSize);
    r.open(host.newStream(peer, DagProtocol.ID));
    return r;
  }

  /**
   * Fetches {@code request} from {@code peer} into {@code store}, in batches written on worker
   * threads while the next batch arrives; when writes fall behind, the response is paused, which
   * stops the sender through its credit.
   *
   * @param onStored told the blocks of each stored batch, on the exchange context
   */
  public Future<DagSummary> fetchInto(
      PeerId peer, DagRequest request, Blockstore store, Consumer<List<Block>> onStored) {
    return Contexts.call(ctx, () -> new Into(request(peer, request), store, onStored).start());
  }

  /** Pipes one response into the blockstore; confined to the exchange context. */
  private final class Into {
    private final DagResponse response;
    private final Blockstore store;
    private final Consumer<List<Block>> onStored;
    private final Promise<DagSummary> done = Promise.promise();
    private List<Block> batch = new ArrayList<>();
    private long batchBytes;
    private Future<Void> storing = Future.succeededFuture();

    Into(DagResponse response, Blockstore store, Consumer<List<Block>> onStored) {
      this.response = response;
      this.store = store;
      this.onStored = onStored;
    }

    Future<DagSummary> start() {
      response.handler(
          b -> {
            batch.add(b);
            batchBytes += b.size();
            if (batchBytes >= STORE_BATCH) {
              // One batch is written while the next fills; a reader two batches behind pauses.
              if (storing.isComplete()) {
                store();
              } else {
                response.pause();
                store().onComplete(v -> response.resume());
              }
            }
          });
      response.exceptionHandler(done::tryFail);
      response.endHandler(
          v ->
              store()
                  .compose(x -> withoutHeld(response.result().result()))
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          done.tryFail(ar.cause());
                        } else {
                          done.tryComplete(ar.result());
                        }
                      }));
      return done.future();
    }

    /**
     * The summary less the "missing" blocks this node already holds: with {@link
     * DagRequest.StopMode#REACHABLE} the sender leaves out what lies below the receiver's heads.
     */
    private Future<DagSummary> withoutHeld(DagSummary s) {
      if (s.missing().isEmpty()) {
        return Future.succeededFuture(s);
      }
      return Contexts.on(
          ctx,
          vertx.executeBlocking(
              () ->
                  new DagSummary(
                      s.blocks(),
                      s.bytes(),
                      s.missing().stream().filter(c -> !store.has(c)).toList()),
              false));
    }

    private Future<Void> store() {
      List<Block> blocks = batch;
      batch = new ArrayList<>();
      batchBytes = 0;
      if (blocks.isEmpty()) {
        return storing;
      }
      storing =
          storing.compose(
              v ->
                  Contexts.on(
                      ctx,
                      vertx
                          .executeBlocking(
                              () -> {
                                store.putAll(blocks);
                                return null;
                              },
                              false)
                          .map(
                              x -> {
                                onStored.accept(blocks);
                                return (Void) null;
                              })));
      storing.onFailure(
          e -> {
            response.cancel();
            done.tryFail(e);
          });
      return storing;
    }
  }
}
