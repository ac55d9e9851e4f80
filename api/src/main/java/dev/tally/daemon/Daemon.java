package dev.tally.daemon;

import dev.tally.cluster.ClusterOptions;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.gateway.Gateway;
import dev.tally.http.ConcurrencyLimit;
import dev.tally.http.ConnectionGuard;
import dev.tally.http.HttpLimits;
import dev.tally.log.store.HeadsFiles;
import dev.tally.log.store.Replicas;
import dev.tally.log.sync.LogSync;
import dev.tally.metrics.NodeMetrics;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrProtocol;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.BootstrapPeers;
import dev.tally.net.host.HostOptions;
import dev.tally.net.tcp.EventLoopServers;
import dev.tally.node.ClusterMembership;
import dev.tally.node.FetchingBlockstore;
import dev.tally.node.ListenAddresses;
import dev.tally.node.Network;
import dev.tally.node.Node;
import dev.tally.node.NodeLogs;
import dev.tally.pinning.PinningApi;
import dev.tally.pinning.PinningService;
import dev.tally.plugin.PluginHost;
import dev.tally.plugin.PluginHttp;
import dev.tally.plugin.PluginOptions;
import dev.tally.plugin.source.LendingSources;
import dev.tally.rpc.RpcApi;
import dev.tally.rpc.RpcSettings;
import dev.tally.storage.gc.LogGcRoots;
import dev.tally.storage.logindex.H2LogIndex;
import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.Profile;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the repo, a Vert.x instance, the libp2p host with Bitswap over the repo's
 * blockstore, a worker pool for every blocking call (blockstore, importer, exporter, waits on the
 * exchange) and two HTTP servers, the RPC API and the gateway, each (like the libp2p listener)
 * served from every event loop so that inbound connections spread over all of them (ADR 028). While
 * it runs, {@code <repo>/api} holds the API's multiaddr (as Kubo's) so the CLI finds it. {@link
 * #stop()} closes the servers (letting requests in flight finish for a grace period), then the
 * exchange and host, then the workers, then the repo.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** Blocking tasks run for as long as an upload takes; don't log them as stuck. */
  private static final long MAX_TASK_MINUTES = 24 * 60;

  private static final long GRACE_SECONDS = 10;

  /** The SQL index of log entries, {@code <repo>/logindex.mv.db}. */
  public static final String LOG_INDEX = "logindex";

  /** The file naming the running daemon's API address, as Kubo's {@code $IPFS_PATH/api}. */
  public static final String API_FILE = "api";

  /** Largest piece of a request body the HTTP decoder hands on at once. */
  private static final int MAX_BODY_CHUNK = 1 << 20;

  /** Plugin jars ({@code *.jar}), their {@code config.json} and their databases ({@code data/}). */
  public static final String PLUGINS_DIR = "plugins";

  private final Repo repo;
  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Network network;
  private final PluginHost plugins;
  private final ClusterMembership clusters;
  private final NodeLogs logs;
  private final PinningService pinning;
  private final NodeMetrics metrics;

  /** One server instance per event loop, sharing the API's port. */
  private final List<HttpServer> api;

  /** One server instance per event loop, sharing the gateway's port. */
  private final List<HttpServer> gateway;

  private final Multiaddr apiAddress;
  private final Multiaddr gatewayAddress;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private Daemon(
      Repo repo,
      Vertx vertx,
      WorkerExecutor workers,
      Network network,
      PluginHost plugins,
      ClusterMembership clusters,
      NodeLogs logs,
      PinningService pinning,
      NodeMetrics metrics,
      List<HttpServer> api,
      List<HttpServer> gateway,
      Multiaddr apiAddress,
      Multiaddr gatewayAddress) {
    this.repo = repo;
    this.vertx = vertx;
    this.workers = workers;
    this.network = network;
    this.plugins = plugins;
    this.clusters = clusters;
    this.logs = logs;
    this.pinning = pinning;
    this.metrics = metrics;
    this.api = api;
    this.gateway = gateway;
    this.apiAddress = apiAddress;
    this.gatewayAddress = gatewayAddress;
  }

  /**
   * Starts serving {@code repo} (which the daemon then owns and closes) on the addresses in its
   * config. Blocks until both servers listen; on failure everything started is closed again.
   */
  public static Daemon start(Repo repo, String version, HttpLimits limits) {
    return start(repo, version, limits, Vertx.builder());
  }

  /**
   * {@link #start(Repo, String, HttpLimits)} on a Vert.x instance built by {@code vertx} (its
   * options, such as the number of event loops, or a metrics SPI); the daemon owns and closes it.
   */
  public static Daemon start(
      Repo repo, String version, HttpLimits limits, VertxBuilder vertxBuilder) {
    Vertx vertx = vertxBuilder.build();
    WorkerExecutor workers =
        vertx.createSharedWorkerExecutor(
            "tally-blocking",
            Math.max(8, limits.maxConcurrentRequests()),
            MAX_TASK_MINUTES,
            TimeUnit.MINUTES);
    Network network;
    NodeLogs logs;
    try {
      network = startNetwork(vertx, repo);
      logs = startLogs(vertx, repo, network);
    } catch (RuntimeException e) {
      workers.close();
      join(vertx.close());
      repo.close();
      throw e;
    }
    FetchingBlockstore blocks = new FetchingBlockstore(repo.blocks(), network);
    ClusterMembership clusters;
    try {
      clusters =
          ClusterMembership.start(
              repo,
              blocks,
              // Cluster.Audit.* and Cluster.CheckpointEvery, validated when the config was read.
              repo.config().cluster().applyTo(ClusterOptions.defaults()),
              logs,
              vertx,
              network.host());
    } catch (RuntimeException e) {
      closeNetwork(network);
      workers.close();
      join(vertx.close());
      repo.close();
      throw e;
    }
    Daemon[] self = new Daemon[1];
    Node node =
        new Node(
            blocks,
            repo.pins(),
            repo.leases(),
            repo.identity().publicKey(),
            "tally/" + version,
            ListenAddresses.dialable(network.host().listenAddresses()),
            Profile.byName(repo.config().importProfile()).orElseThrow(),
            repo::stat,
            () -> self[0].stopAsync(),
            dev.tally.node.RepoAdmin.of(repo));
    RpcSettings rpcSettings = RpcSettings.of(limits);
    RpcApi rpc =
        new RpcApi(node, network, workers, rpcSettings)
            .withCluster(clusters)
            .withLogs(logs, java.util.Optional.of(network));
    // File leaves in the repo's packs go out with sendfile (ADR 044); fetched blocks as before.
    Gateway gw =
        Gateway.sendsFiles()
            ? new Gateway(blocks, workers).withFiles(repo.blocks()::files)
            : new Gateway(blocks, workers);
    PluginHost plugins;
    try {
      // Plugins start before the API listens, so their routes answer from the first request.
      PluginOptions options = PluginOptions.load(repo.dir().resolve(PLUGINS_DIR));
      plugins = PluginHost.start(options, LendingSources.of(logs.replicas(), options));
    } catch (RuntimeException e) {
      clusters.close();
      closeNetwork(network);
      workers.close();
      join(vertx.close());
      repo.close();
      throw e;
    }
    PinningService pinning;
    PinningApi psa;
    try {
      Supplier<List<String>> selfAddresses =
          () -> {
            String p2p = "/p2p/" + repo.peerId();
            return ListenAddresses.dialable(network.host().listenAddresses()).stream()
                .map(a -> a + p2p)
                .toList();
          };
      pinning =
          PinningService.open(
              repo.dir(),
              node,
              clusters::current,
              () -> repo.config().pinning(),
              selfAddresses,
              peer ->
                  network.host().peerStore().addresses(peer).stream()
                      .limit(2)
                      .map(a -> a + "/p2p/" + peer)
                      .toList(),
              origins -> dialOrigins(network, origins));
      psa = new PinningApi(pinning, workers, () -> repo.config().api(), repo.config().apiAddress());
      PinningApi.refusal(repo.config().apiAddress(), repo.config().api())
          .ifPresent(why -> LOG.warn("{}", why));
    } catch (RuntimeException e) {
      plugins.close();
      clusters.close();
      closeNetwork(network);
      workers.close();
      join(vertx.close());
      repo.close();
      throw new DaemonException("cannot start the pinning service: " + e.getMessage(), e);
    }
    NodeMetrics metrics = new NodeMetrics(node, repo.blocks()::size, network);
    Handler<HttpServerRequest> pluginsThenRpc = new PluginHttp(plugins, rpc);
    ConnectionGuard apiGuard = guard(vertx, limits);
    ConnectionGuard gatewayGuard = guard(vertx, limits);
    metrics.connections("api", apiGuard);
    metrics.connections("gateway", gatewayGuard);
    metrics.gatewayFiles(gw::bytesFromFiles, repo.blocks()::readerFilesOpen);
    metrics.uploads("api", rpcSettings.uploadBudget());
    Handler<HttpServerRequest> apiRoutes =
        metrics.timed(
            "api",
            request ->
                PinningApi.owns(request.path())
                    ? "pins"
                    : request.path().equals(NodeMetrics.PATH)
                        ? "metrics"
                        : request.path().startsWith("/plugins/")
                            ? "plugins"
                            : rpc.command(request.path()).orElse("other"),
            new ConcurrencyLimit(
                limits.maxConcurrentRequests(),
                apiGuard,
                request -> {
                  if (PinningApi.owns(request.path())) {
                    psa.handle(request);
                  } else if (request.path().equals(NodeMetrics.PATH)) {
                    metrics.scrape(request, workers);
                  } else {
                    pluginsThenRpc.handle(request);
                  }
                }));
    try {
      List<HttpServer> api =
          listen(
              vertx,
              limits,
              apiGuard,
              apiRoutes,
              HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER,
              repo.config().apiAddress(),
              "RPC API");
      List<HttpServer> gateway;
      try {
        gateway =
            listen(
                vertx,
                limits,
                gatewayGuard,
                metrics.timed(
                    "gateway",
                    request -> "gateway",
                    new ConcurrencyLimit(limits.maxConcurrentRequests(), gatewayGuard, gw)),
                // A request line too long for the decoder is a path the gateway refuses: 400.
                Gateway::invalidRequest,
                repo.config().gatewayAddress(),
                "gateway");
      } catch (RuntimeException e) {
        join(EventLoopServers.closeAll(api, HttpServer::close));
        throw e;
      }
      self[0] =
          new Daemon(
              repo,
              vertx,
              workers,
              network,
              plugins,
              clusters,
              logs,
              pinning,
              metrics,
              api,
              gateway,
              actual(repo.config().apiAddress(), api.get(0).actualPort()),
              actual(repo.config().gatewayAddress(), gateway.get(0).actualPort()));
      self[0].writeApiFile();
      return self[0];
    } catch (RuntimeException e) {
      plugins.close();
      clusters.close();
      metrics.close();
      pinning.close();
      closeNetwork(network);
      workers.close();
      join(vertx.close());
      repo.close();
      throw e;
    }
  }

  /**
   * Starts the libp2p host with the repo's identity on {@code Addresses.Swarm}, Bitswap over the
   * repo's blockstore, and keeps the {@code Bootstrap} peers connected in the background (a peer
   * that cannot be reached is logged, not fatal, and retried after its dial back-off).
   */
  private static Network startNetwork(Vertx vertx, Repo repo) {
    // Swarm.{ConnMgr,ResourceMgr.Limits,Yamux,PeerStore,Identify,Negotiation}.* and
    // Internal.{Bitswap,Dag}.*, validated when the config was read (ADR 034, ADR 038).
    HostOptions hostOptions = repo.config().swarm().applyTo(HostOptions.defaults());
    ExchangeOptions exchangeOptions = repo.config().internal().applyTo(ExchangeOptions.defaults());
    BasicHost host = BasicHost.create(vertx, repo.identity(), hostOptions);
    Bitswap exchange;
    try {
      for (Multiaddr swarm : repo.config().swarmAddresses()) {
        try {
          join(host.listen(swarm));
        } catch (RuntimeException e) {
          throw new DaemonException(
              "cannot listen for peers on " + swarm + ": " + rootMessage(e), e);
        }
      }
      // Fetched blocks go in through a leasing view, so a pin that waits for its fetch under a
      // watching lease keeps them from a collection (ADR 026).
      exchange =
          join(Bitswap.start(vertx, host, repo.leases().leasing(repo.blocks()), exchangeOptions));
    } catch (RuntimeException e) {
      join(host.close());
      throw e;
    }
    // Dialled now and redialled every 30 s when not connected (Kubo's period), within the host's
    // per-address dial back-off; unreachable peers are logged, not fatal.
    new BootstrapPeers(vertx, host, repo.config().bootstrap(), Duration.ofSeconds(30)).start();
    // A little beyond the exchange's own deadline, which fails the fetch with its reason first.
    Duration timeout = exchangeOptions.client().wantTimeout().plus(Duration.ofSeconds(5));
    return new Network(host, exchange, timeout);
  }

  /**
   * Opens every log the repo holds and replicates it over {@code /tally/log/1.0.0}; a log that
   * cannot be opened (damaged: run {@code tally log verify}) is logged and left out, not fatal.
   */
  private static NodeLogs startLogs(Vertx vertx, Repo repo, Network network) {
    // Entries go in under a lease and their heads move under the log's lock, which the GC source
    // below reads under: a collection keeps every entry stored while it runs (ADR 026).
    Replicas replicas =
        new Replicas(repo.leases().leasing(repo.blocks()), HeadsFiles.ofRepo(repo.dir()));
    repo.gc().addRoots(new LogGcRoots(replicas::openHeads, Repo.STATE_LAYOUTS));
    LogSync sync;
    try {
      // Log.Sync.* from the config, validated when the config was read.
      sync = new LogSync(vertx, network.host(), repo.config().log().sync()).start();
    } catch (RuntimeException e) {
      closeNetwork(network);
      throw e;
    }
    H2LogIndex index;
    try {
      index = H2LogIndex.open(repo.dir().resolve(LOG_INDEX));
    } catch (RuntimeException e) {
      sync.close();
      closeNetwork(network);
      throw e;
    }
    for (Cid id : replicas.ids()) {
      try {
        replicas
            .get(id)
            .ifPresent(
                log -> {
                  index.follow(log);
                  sync.track(log, replicas::save);
                });
      } catch (RuntimeException e) {
        LOG.warn("log {} is not replicated: {}", id, rootMessage(e));
      }
    }
    return new NodeLogs(replicas, sync, index, (Ed25519PrivateKey) repo.identity());
  }

  /**
   * Dials a pin request's origins (the spec's provider hints) in the background; an origin that
   * cannot be reached is logged, not fatal: the exchange still asks every connected peer.
   */
  private static void dialOrigins(Network network, List<String> origins) {
    for (String text : origins) {
      Multiaddr origin = Multiaddr.parse(text);
      if (origin.valueOf(MultiaddrProtocol.P2P).isEmpty()
          || origin.valueOf(MultiaddrProtocol.TCP).isEmpty()) {
        continue; // nothing to dial (no transport) or no peer id to check the peer against
      }
      network
          .host()
          .dial(origin)
          .onFailure(e -> LOG.info("pin origin {} not reachable: {}", origin, e.getMessage()));
    }
  }

  private static void closeNetwork(Network network) {
    try {
      join(network.exchange().close());
    } catch (RuntimeException e) {
      LOG.warn("exchange did not close cleanly: {}", rootMessage(e));
    }
    try {
      join(network.host().close());
    } catch (RuntimeException e) {
      LOG.warn("libp2p host did not close cleanly: {}", rootMessage(e));
    }
  }

  private Path apiFile() {
    return repo.dir().resolve(API_FILE);
  }

  private void writeApiFile() {
    try {
      Files.writeString(apiFile(), apiAddress.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DaemonException("cannot write " + apiFile() + ": " + e.getMessage(), e);
    }
  }

  static ConnectionGuard guard(Vertx vertx, HttpLimits limits) {
    return new ConnectionGuard(
        vertx,
        limits.maxConnections(),
        limits.readHeaderTimeout(),
        Duration.ofSeconds(limits.idleTimeoutSeconds()));
  }

  /**
   * Listens one server per event loop on {@code address}, all sharing one port (the first binds it;
   * port 0 picks a free one for all) and one set of handlers, so the guard's and the concurrency
   * limit's bounds are the server's in total, not per event loop. Runs Netty's one-time allocator
   * set-up on the calling thread first, host or no host ({@code EventLoopServers.listen}, ADR 039).
   */
  static List<HttpServer> listen(
      Vertx vertx,
      HttpLimits limits,
      ConnectionGuard guard,
      Handler<HttpServerRequest> handler,
      Handler<HttpServerRequest> invalid,
      Multiaddr address,
      String what) {
    String host = host(address, what);
    int port =
        address
            .valueOf(MultiaddrProtocol.TCP)
            .map(Integer::parseInt)
            .orElseThrow(
                () -> new DaemonException(what + " address " + address + " has no /tcp/PORT"));
    try {
      return join(
          EventLoopServers.listen(
              vertx,
              port,
              shared -> {
                HttpServer server = vertx.createHttpServer(httpOptions(limits, host, shared));
                server.connectionHandler(guard);
                server.invalidRequestHandler(invalid);
                server.requestHandler(handler);
                return server.listen();
              },
              HttpServer::actualPort,
              HttpServer::close));
    } catch (RuntimeException e) {
      throw new DaemonException(
          "cannot serve the " + what + " on " + address + ": " + rootMessage(e), e);
    }
  }

  private static HttpServerOptions httpOptions(HttpLimits limits, String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(limits.idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxInitialLineLength(limits.maxUriLength())
        .setCompressionSupported(false)
        // Body bytes reach handlers as read from the socket, not cut into Netty's default 8 KiB
        // pieces: each piece costs a copy, a queue entry and a hand-off to the add's worker.
        .setMaxChunkSize(MAX_BODY_CHUNK)
        // HTTP/1.1 only, as Kubo's API and gateway clients expect; no h2c upgrade.
        .setHttp2ClearTextEnabled(false);
  }

  private static String host(Multiaddr address, String what) {
    return address
        .valueOf(MultiaddrProtocol.IP4)
        .or(() -> address.valueOf(MultiaddrProtocol.IP6))
        .orElseThrow(
            () ->
                new DaemonException(
                    what + " address " + address + " must be /ip4/HOST/tcp/PORT or /ip6/..."));
  }

  /** The configured address with the port actually bound (differs when configured as 0). */
  private static Multiaddr actual(Multiaddr configured, int port) {
    return configured.decapsulate(MultiaddrProtocol.TCP).encapsulate("/tcp/" + port);
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  public Repo repo() {
    return repo;
  }

  /** Where the RPC API listens (with the port the system assigned when configured as 0). */
  public Multiaddr apiAddress() {
    return apiAddress;
  }

  public Multiaddr gatewayAddress() {
    return gatewayAddress;
  }

  /** Where the libp2p host listens (with the ports actually bound). */
  public List<Multiaddr> swarmAddresses() {
    return ListenAddresses.dialable(network.host().listenAddresses());
  }

  public Network network() {
    return network;
  }

  /** The plugins this daemon runs. */
  public PluginHost plugins() {
    return plugins;
  }

  /** The logs this daemon holds and replicates. */
  public NodeLogs logs() {
    return logs;
  }

  /** Completes once the daemon has stopped and released the repo. */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Starts stopping (as {@code /api/v0/shutdown} does) and returns at once. */
  public void stopAsync() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(this::shutdown, "tally-shutdown");
    t.start();
  }

  /** Stops and waits until the repo is closed. Idempotent. */
  public void stop() {
    stopAsync();
    stopped.join();
  }

  private void shutdown() {
    try {
      LOG.info("shutting down: closing the HTTP servers");
      // Servers first, so no new work arrives; requests in flight get a grace period.
      join(
          Future.join(
              EventLoopServers.closeAll(api, s -> s.shutdown(GRACE_SECONDS, TimeUnit.SECONDS)),
              EventLoopServers.closeAll(
                  gateway, s -> s.shutdown(GRACE_SECONDS, TimeUnit.SECONDS))));
    } catch (RuntimeException e) {
      LOG.warn("HTTP servers did not close cleanly: {}", rootMessage(e));
    }
    try {
      Files.deleteIfExists(apiFile());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", apiFile(), e.getMessage());
    }
    // After the servers (no request reaches a plugin any more), before the repo they read.
    plugins.close();
    clusters.close();
    logs.sync().close();
    pinning.close();
    metrics.close();
    closeNetwork(network);
    try {
      logs.index().close();
    } catch (RuntimeException e) {
      LOG.warn("log index did not close cleanly: {}", rootMessage(e));
    }
    try {
      workers.close();
      join(vertx.close());
    } catch (RuntimeException e) {
      LOG.warn("Vert.x did not close cleanly: {}", rootMessage(e));
    }
    try {
      repo.close();
      LOG.info("repo closed");
      stopped.complete(null);
    } catch (RuntimeException e) {
      stopped.completeExceptionally(e);
    }
  }
}
