package dev.tally.exchange;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.client.BitswapClient;
import dev.tally.exchange.dag.DagClient;
import dev.tally.exchange.dag.DagServer;
import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.network.BitswapNetwork;
import dev.tally.exchange.network.Contexts;
import dev.tally.exchange.network.RateLimiter;
import dev.tally.exchange.network.Receiver;
import dev.tally.exchange.server.BitswapServer;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.net.Host;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The exchange over Bitswap: wires the network, the client (sessions) and the server (engine) on
 * one Vert.x context that owns all their state; public methods may be called from any thread.
 */
public final class Bitswap implements Exchange {
  /**
   * Upload credit an idle capped node may spend at once: 50 ms of its rate. Not a config key: it
   * follows {@code Internal.Bitswap.MaxUploadBytesPerSecond}, and only smooths it (ADR 038).
   */
  private static final long BURST_NANOS = 50_000_000;

  private final Vertx vertx;
  private final Context ctx;
  private final Blockstore store;
  private final ExchangeOptions options;
  private final BitswapNetwork network;
  private final RateLimiter upload;
  private final Ledgers ledgers = new Ledgers();
  private final BitswapServer server;
  private final BitswapClient client;
  private final Host host;
  private final DagServer dagServer;
  private final DagClient dagClient;

  private Bitswap(Vertx vertx, Host host, Blockstore store, ExchangeOptions options) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.store = store;
    this.options = options;
    this.network =
        new BitswapNetwork(
            ctx,
            host,
            new MessageCodec(options.messages()),
            options.maxOutstandingBytesPerPeer(),
            options.idleStreamTimeout().toMillis());
    this.upload =
        options.maxUploadBytesPerSecond() == 0
            ? RateLimiter.unlimited()
            : new RateLimiter(options.maxUploadBytesPerSecond(), BURST_NANOS);
    this.server = new BitswapServer(vertx, ctx, store, network, options.server(), upload, ledgers);
    this.client =
        new BitswapClient(
            vertx, ctx, store, network, options.client(), server::blocksAdded, ledgers);
    this.host = host;
    this.dagServer = new DagServer(vertx, ctx, store, options.dag(), upload, ledgers);
    this.dagClient =
        new DagClient(vertx, ctx, host, options.dag(), options.messages().maxBlockSize());
  }

  /** Creates the exchange and starts serving Bitswap on {@code host}. */
  public static Future<Bitswap> start(
      Vertx vertx, Host host, Blockstore store, ExchangeOptions options) {
    Bitswap b = new Bitswap(vertx, host, store, options);
    return Contexts.call(
        b.ctx,
        () -> {
          b.network.start(b.new Dispatcher());
          b.dagServer.start(host);
          return Future.succeededFuture(b);
        });
  }

  private final class Dispatcher implements Receiver {
    @Override
    public Future<Void> receive(PeerId from, BitswapMessage message) {
      server.receive(from, message);
      return client.receive(from, message);
    }

    @Override
    public void peerConnected(PeerId peer) {
      client.peerConnected(peer);
    }

    @Override
    public void peerDisconnected(PeerId peer) {
      server.peerDisconnected(peer);
      client.peerDisconnected(peer);
      ledgers.forget(peer);
    }
  }

  @Override
  public Future<Block> get(Cid cid) {
    return Contexts.call(
        ctx,
        () ->
            vertx
                .executeBlocking(() -> store.get(cid), false)
                .compose(
                    local -> {
                      if (local.isPresent()) {
                        return Future.succeededFuture(local.get());
                      }
                      Session s = client.newSession();
                      return s.get(cid).andThen(ar -> s.close());
                    }));
  }

  @Override
  public Session newSession() {
    return client.newSession();
  }

  @Override
  public DagFetch fetchDag(Cid root) {
    return new DagFetch(
            vertx,
            ctx,
            store,
            client.newSession(),
            root,
            options.dagParallelism(),
            options.maxDagBlocks(),
            dagClient,
            this::dagPeers,
            (peer, blocks) -> {
              long bytes = 0;
              for (Block b : blocks) {
                bytes += b.size();
              }
              ledgers.received(peer, blocks.size(), bytes);
              server.blocksAdded(blocks.stream().map(Block::cid).toList());
            })
        .start();
  }

  /** Connected peers that announced {@code /tally/dag/1.0.0}, if fetches may use it. */
  private List<PeerId> dagPeers() {
    if (!options.dag().fetchWithPeers()) {
      return List.of();
    }
    return network.peers().stream().filter(dagClient::speaks).toList();
  }

  /** Blocks added locally (an import): peers that asked for them get them now. */
  public void provide(List<Cid> cids) {
    Contexts.run(ctx, () -> server.blocksAdded(cids));
  }

  /** Whether the blockstore holds {@code cid} (blocking: call from a worker thread). */
  public boolean has(Cid cid) {
    return store.has(cid);
  }

  /** What we and {@code peer} exchanged since it connected. */
  public Future<PeerLedger> ledger(PeerId peer) {
    return Contexts.call(ctx, () -> Future.succeededFuture(ledgers.of(peer)));
  }

  /** What we exchanged with all peers since start (its peer is our own id). */
  public Future<PeerLedger> totals() {
    return Contexts.call(ctx, () -> Future.succeededFuture(ledgers.totals(host.peerId())));
  }

  /**
   * The connected peers that hold {@code cid}, asked with want-have; waits at most {@code timeout}
   * for peers that do not answer.
   */
  public Future<List<PeerId>> whoHas(Cid cid, Duration timeout) {
    return Contexts.call(ctx, () -> client.whoHas(cid, Math.max(1, timeout.toMillis())));
  }

  /** What {@code peer} currently wants from us. */
  public Future<List<WantEntry>> wantlistOf(PeerId peer) {
    return Contexts.call(ctx, () -> Future.succeededFuture(server.wantlist(peer)));
  }

  /** The limits this exchange runs with. */
  public ExchangeOptions options() {
    return options;
  }

  /** The CIDs this node is waiting for from peers, as {@code bitswap wantlist} lists them. */
  public Future<List<Cid>> wantlist() {
    return Contexts.call(ctx, () -> Future.succeededFuture(client.wantlist()));
  }

  /** Peers caught sending blocks whose bytes match no wanted CID. */
  public Future<Set<PeerId>> badPeers() {
    return Contexts.call(ctx, () -> Future.succeededFuture(client.badPeers()));
  }

  /** How many blocks we have sent to peers (Bitswap and DAG responses). */
  public Future<Long> blocksServed() {
    return Contexts.call(
        ctx, () -> Future.succeededFuture(server.blocksSent() + dagServer.blocksSent()));
  }

  /** Blockstore reads the Bitswap server has in flight, across all peers. */
  public Future<Integer> readsInFlight() {
    return Contexts.call(ctx, () -> Future.succeededFuture(server.readsInFlight()));
  }

  /** How many block bytes our server has sent to peers. */
  public Future<Long> bytesServed() {
    return Contexts.call(
        ctx, () -> Future.succeededFuture(server.bytesSent() + dagServer.bytesSent()));
  }

  /** Requests whole DAGs from Tally peers over {@code /tally/dag/1.0.0}. */
  public DagClient dag() {
    return dagClient;
  }

  @Override
  public Future<Void> close() {
    return Contexts.call(
        ctx,
        () -> {
          network.stop();
          dagServer.stop(host);
          return Future.succeededFuture();
        });
  }
}
