package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.ConnectionState;
import dev.tally.net.Direction;
import dev.tally.net.Duplex;
import dev.tally.net.Host;
import dev.tally.net.PeerStore;
import dev.tally.net.ProtocolHandler;
import dev.tally.net.Stream;
import dev.tally.net.identify.Identify;
import dev.tally.net.identify.IdentifyCodec;
import dev.tally.net.multistream.MultistreamOptions;
import dev.tally.net.multistream.MultistreamSelect;
import dev.tally.net.multistream.Negotiated;
import dev.tally.net.multistream.ProtocolRegistry;
import dev.tally.net.noise.NoiseOptions;
import dev.tally.net.ping.Ping;
import dev.tally.net.tcp.AllocatorWarmUp;
import dev.tally.net.tcp.TcpDuplex;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.yamux.YamuxSession;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The host: TCP connections are upgraded by multistream-select to the security protocol, then to
 * Yamux; each stream is negotiated again and handed to the protocol's handler. Identify and ping
 * run as built-in behaviours.
 */
public final class BasicHost implements Host {
  private static final System.Logger LOG = System.getLogger(BasicHost.class.getName());

  /** The multiplexer's multistream id. */
  public static final String YAMUX = "/yamux/1.0.0";

  /**
   * How long protocol changes settle before one identify push announces them. Not a config key: a
   * debounce no operator can judge better; peers see the change within it either way (ADR 038).
   */
  private static final Duration PUSH_DELAY = Duration.ofMillis(100);

  private final Vertx vertx;
  private final PrivateKey key;
  private final PeerId peerId;
  private final SecurityProtocol security;
  private final HostOptions options;
  private final TcpTransport tcp;
  private final MemoryPeerStore peerStore;
  private final Identify identify;
  private final Ping ping;
  private ConnectionManager connectionManager;
  private final List<TcpListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> listenAddresses = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, ProtocolHandler> handlers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PeerId, List<HostConnection>> connections =
      new ConcurrentHashMap<>();
  private final ResourceManager resources;
  private final MultistreamOptions multistream;
  private final DialBackoff backoff;
  private final List<Handler<Connection>> openHandlers = new CopyOnWriteArrayList<>();
  private final List<Handler<Connection>> closeHandlers = new CopyOnWriteArrayList<>();
  private final ProtocolRegistry registry =
      new ProtocolRegistry() {
        @Override
        public boolean supports(String protocol) {
          return handlers.containsKey(protocol);
        }

        @Override
        public List<String> protocols() {
          return BasicHost.this.protocols();
        }
      };
  private volatile boolean closed;

  private BasicHost(Vertx vertx, PrivateKey key, SecurityProtocol security, HostOptions options) {
    this.vertx = vertx;
    this.key = key;
    this.peerId = key.publicKey().peerId();
    this.security = security;
    this.options = options;
    this.tcp = new TcpTransport(vertx, options.tcp());
    this.resources = new ResourceManager(options.resources());
    this.multistream = options.negotiation();
    this.backoff = new DialBackoff(options.dialBackoff());
    this.peerStore = new MemoryPeerStore(options.maxPeers(), options.maxAddressesPerPeer());
    this.identify =
        new Identify(
            this, new IdentifyCodec(options.identifyMaxMessageSize()), options.agentVersion());
    this.ping = new Ping(this, new SecureRandom());
  }

  /** A host with identity {@code key}, securing connections with Noise. */
  public static BasicHost create(Vertx vertx, PrivateKey key, HostOptions options) {
    NoiseOptions noise =
        NoiseOptions.DEFAULTS
            .withStreamMuxers(List.of(YAMUX))
            .withHandshakeTimeout(options.negotiationTimeout());
    return create(vertx, key, new NoiseProtocol(vertx, key, noise), options);
  }

  /** A host with identity {@code key}, securing connections with {@code security}. */
  public static BasicHost create(
      Vertx vertx, PrivateKey key, SecurityProtocol security, HostOptions options) {
    AllocatorWarmUp.ensure();
    BasicHost host = new BasicHost(vertx, key, security, options);
    host.identify.start();
    host.ping.start();
    host.connectionManager = new ConnectionManager(vertx, host, options.connectionManager());
    return host;
  }

  public Identify identify() {
    return identify;
  }

  public Ping ping() {
    return ping;
  }

  public ResourceManager resources() {
    return resources;
  }

  /** Addresses whose dials failed recently and are not tried again yet. */
  public DialBackoff dialBackoff() {
    return backoff;
  }

  public ConnectionManager connectionManager() {
    return connectionManager;
  }

  /** The limits this host runs with. */
  public HostOptions options() {
    return options;
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PublicKey publicKey() {
    return key.publicKey();
  }

  @Override
  public Future<Multiaddr> listen(Multiaddr addr) {
    if (closed) {
      return Future.failedFuture(new HostException("host is closed"));
    }
    return tcp.listen(addr, this::onInbound)
        .map(
            listener -> {
              listeners.add(listener);
              listenAddresses.add(listener.address());
              return listener.address();
            });
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return List.copyOf(listenAddresses);
  }

  @Override
  public Future<Connection> dial(Multiaddr addr) {
    if (closed) {
      return Future.failedFuture(new HostException("host is closed"));
    }
    Optional<PeerId> expected;
    try {
      expected = addr.peerId().map(PeerId::of);
    } catch (RuntimeException e) {
      return Future.failedFuture(new HostException("bad /p2p peer id in " + addr, e));
    }
    if (expected.isPresent()) {
      if (expected.get().equals(peerId)) {
        return Future.failedFuture(new HostException("refusing to dial ourselves at " + addr));
      }
      Optional<HostConnection> open = openConnection(expected.get());
      if (open.isPresent()) {
        return Future.succeededFuture(open.get());
      }
    }
    Optional<Duration> wait = backoff.remaining(addr);
    if (wait.isPresent()) {
      return Future.failedFuture(
          new HostException(
              "not dialling "
                  + addr
                  + ": its last dial failed, backing off for another "
                  + wait.get().toMillis()
                  + " ms"));
    }
    if (!resources.reserveConnection()) {
      return Future.failedFuture(
          new HostException(
              "connection limit of "
                  + options.resources().maxConnections()
                  + " reached; not dialling "
                  + addr));
    }
    // Dial from an event-loop context: the socket then lives on it and the dial completes before
    // any read, so the responder's first bytes cannot arrive before a handler is set. A caller on a
    // worker (or with no context) gets an event loop of its own: a connection's Yamux and Noise
    // state is confined to one event-loop thread, never to a worker context's changing threads.
    Context current = Vertx.currentContext();
    Context context =
        current != null && current.isEventLoopContext()
            ? current
            : ((VertxInternal) vertx).createEventLoopContext();
    Promise<Connection> result = Promise.promise();
    context.runOnContext(
        v ->
            tcp.dial(addr)
                .compose(raw -> upgradeOutbound(raw, expected))
                .onSuccess(c -> backoff.succeeded(addr))
                .onFailure(
                    e -> {
                      resources.releaseConnection();
                      Duration next = backoff.failed(addr);
                      LOG.log(
                          Level.DEBUG,
                          "dial of {0} failed, not retried for {1} ms: {2}",
                          addr,
                          next.toMillis(),
                          e.getMessage());
                    })
                .<Connection>map(c -> c)
                .onComplete(result));
    return result.future();
  }

  @Override
  public Future<Connection> connect(PeerId peer) {
    Optional<HostConnection> open = openConnection(peer);
    if (open.isPresent()) {
      return Future.succeededFuture(open.get());
    }
    List<Multiaddr> addrs = peerStore.addresses(peer);
    if (addrs.isEmpty()) {
      return Future.failedFuture(new HostException("no known address for peer " + peer));
    }
    Future<Connection> attempt = Future.failedFuture(new HostException("no address worked"));
    for (Multiaddr a : addrs) {
      Multiaddr full = a.peerId().isPresent() ? a : a.encapsulate("/p2p/" + peer);
      attempt = attempt.recover(e -> dial(full));
    }
    return attempt;
  }

  @Override
  public Future<Stream> newStream(PeerId peer, String... protocols) {
    List<String> list = Arrays.asList(protocols);
    return connect(peer).compose(c -> c.newStream(list));
  }

  @Override
  public Host setHandler(String protocol, ProtocolHandler handler) {
    if (handlers.put(protocol, handler) == null) {
      protocolsChanged();
    }
    return this;
  }

  @Override
  public Host removeHandler(String protocol) {
    if (handlers.remove(protocol) != null) {
      protocolsChanged();
    }
    return this;
  }

  /** Connected peers learn about new or removed protocols by identify push. */
  private void protocolsChanged() {
    if (identify != null && !connections.isEmpty()) {
      identify.schedulePush(vertx, PUSH_DELAY);
    }
  }

  @Override
  public List<String> protocols() {
    List<String> list = new ArrayList<>(handlers.keySet());
    list.sort(null);
    return list;
  }

  @Override
  public List<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    connections.values().forEach(all::addAll);
    return all;
  }

  @Override
  public Host onConnection(Handler<Connection> handler) {
    openHandlers.add(handler);
    return this;
  }

  @Override
  public Host onDisconnection(Handler<Connection> handler) {
    closeHandlers.add(handler);
    return this;
  }

  @Override
  public PeerStore peerStore() {
    return peerStore;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    connectionManager.stop();
    List<Future<Void>> all = new ArrayList<>();
    for (TcpListener l : listeners) {
      all.add(l.close());
    }
    for (Connection c : connections()) {
      all.add(c.close());
    }
    all.add(tcp.close());
    return Future.join(all).mapEmpty();
  }

  // ---- package-private for connections

  ProtocolRegistry registry() {
    return registry;
  }

  MultistreamOptions multistreamOptions() {
    return multistream;
  }

  Optional<ProtocolHandler> handler(String protocol) {
    return Optional.ofNullable(handlers.get(protocol));
  }

  // ---- upgrade pipeline

  private Optional<HostConnection> openConnection(PeerId peer) {
    List<HostConnection> list = connections.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    return list.stream().filter(c -> !c.isClosed()).findFirst();
  }

  private Future<HostConnection> upgradeOutbound(TcpDuplex raw, Optional<PeerId> expected) {
    Context context = Vertx.currentContext();
    return MultistreamSelect.select(vertx, raw, List.of(security.id()), multistream)
        .compose(n -> security.secureOutbound(n.duplex(), expected))
        .compose(
            secure -> {
              if (expected.isPresent() && !expected.get().equals(secure.remotePeer())) {
                return Future.failedFuture(
                    new HostException(
                        "dialled "
                            + expected.get()
                            + " but the handshake proved "
                            + secure.remotePeer()));
              }
              return muxed(secure, true)
                  .compose(
                      m ->
                          register(
                              context,
                              raw,
                              m.duplex(),
                              secure.remotePeer(),
                              Direction.OUTBOUND,
                              m.state()));
            })
        .onFailure(e -> abort(raw));
  }

  private void onInbound(TcpDuplex raw) {
    if (closed || !resources.reserveConnection()) {
      LOG.log(
          Level.DEBUG,
          "refusing inbound connection from {0}: limit or closed",
          raw.remoteAddress());
      abort(raw);
      return;
    }
    Context context = Vertx.currentContext();
    MultistreamSelect.handle(vertx, raw, ProtocolRegistry.of(List.of(security.id())), multistream)
        .compose(n -> security.secureInbound(n.duplex()))
        .compose(
            secure ->
                muxed(secure, false)
                    .compose(
                        m ->
                            register(
                                context,
                                raw,
                                m.duplex(),
                                secure.remotePeer(),
                                Direction.INBOUND,
                                m.state())))
        .onFailure(
            e -> {
              resources.releaseConnection();
              LOG.log(
                  Level.DEBUG,
                  "inbound upgrade from {0} failed: {1}",
                  raw.remoteAddress(),
                  e.getMessage());
              abort(raw);
            });
  }

  /** Resets a connection that failed its upgrade; it may already be closed by the peer. */
  private static void abort(TcpDuplex raw) {
    if (raw.closeFuture().isComplete()) {
      return;
    }
    try {
      raw.reset();
    } catch (RuntimeException e) {
      // The socket closed between the check and the reset; nothing is left to release.
      raw.close();
    }
  }

  /** The channel the multiplexer runs on, and how it was agreed. */
  private record Muxed(Duplex duplex, ConnectionState state) {}

  /**
   * Uses the muxer agreed inside the security handshake, or negotiates one with multistream-select
   * (a peer that announced no muxers, or none we share).
   */
  private Future<Muxed> muxed(SecureConnection secure, boolean initiator) {
    Optional<String> early = secure.earlyMuxer().filter(YAMUX::equals);
    if (early.isPresent()) {
      return Future.succeededFuture(
          new Muxed(secure.duplex(), new ConnectionState(security.id(), YAMUX, true)));
    }
    Future<Negotiated> negotiated =
        initiator
            ? MultistreamSelect.select(vertx, secure.duplex(), List.of(YAMUX), multistream)
            : MultistreamSelect.handle(
                vertx, secure.duplex(), ProtocolRegistry.of(List.of(YAMUX)), multistream);
    return negotiated.map(
        n -> new Muxed(n.duplex(), new ConnectionState(security.id(), YAMUX, false)));
  }

  private Future<HostConnection> register(
      Context context,
      TcpDuplex raw,
      Duplex muxed,
      PeerId remote,
      Direction direction,
      ConnectionState state) {
    if (!resources.admitPeerConnection(remote)) {
      return Future.failedFuture(
          new HostException(
              "already "
                  + options.resources().maxConnectionsPerPeer()
                  + " connections to "
                  + remote
                  + "; closing this one"));
    }
    boolean dialer = direction == Direction.OUTBOUND;
    YamuxSession session =
        YamuxSession.start(context, muxed, dialer, options.yamux(), resources.scope(remote));
    HostConnection conn =
        new HostConnection(
            this,
            context,
            session,
            remote,
            raw.remoteAddress(),
            raw.localAddress(),
            direction,
            state);
    // Added inside compute: a list fetched first and added to afterwards could be one that another
    // event loop's close of this peer's last connection has just removed from the map, and the
    // connection would be lost to connections(), trimming and close().
    connections.compute(
        remote,
        (k, list) -> {
          List<HostConnection> open = list == null ? new CopyOnWriteArrayList<>() : list;
          open.add(conn);
          return open;
        });
    if (dialer) {
      peerStore.addAddresses(remote, List.of(raw.remoteAddress()));
    }
    session
        .closeFuture()
        .onComplete(
            ar -> {
              raw.close();
              connections.computeIfPresent(
                  remote,
                  (k, list) -> {
                    list.remove(conn);
                    return list.isEmpty() ? null : list;
                  });
              resources.releasePeerConnection(remote);
              resources.releaseConnection();
              closeHandlers.forEach(h -> h.handle(conn));
            });
    conn.start();
    openHandlers.forEach(h -> h.handle(conn));
    if (closed) {
      conn.close();
    }
    return Future.succeededFuture(conn);
  }
}
