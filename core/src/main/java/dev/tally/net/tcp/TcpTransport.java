package dev.tally.net.tcp;

import dev.tally.multiformats.Multiaddr;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Objects;

/**
 * Dials and listens on TCP multiaddrs. Dialled and accepted connections run their handlers on the
 * event loop that owns the socket.
 */
public final class TcpTransport {
  private final Vertx vertx;
  private final TcpOptions options;
  private final NetClient client;

  public TcpTransport(Vertx vertx, TcpOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.client =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout(
                    (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .setTcpNoDelay(options.tcpNoDelay()));
  }

  /**
   * Whether {@code addr} is {@code /ip4|ip6/<ip>/tcp/<port>}, optionally with {@code /p2p/<id>}.
   */
  public static boolean canDial(Multiaddr addr) {
    return TcpAddresses.isTcp(addr);
  }

  /**
   * Connects to {@code addr}. A trailing {@code /p2p/<id>} is ignored here: the security layer
   * checks it after the handshake.
   */
  public Future<TcpDuplex> dial(Multiaddr addr) {
    TcpAddresses.HostPort hp;
    try {
      hp = TcpAddresses.hostPort(addr);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (Vertx.currentContext() != null) {
      return connect(hp);
    }
    // From a foreign thread the connect future's callbacks may run one event-loop task after the
    // socket became readable, and Vert.x drops bytes that arrive before a handler exists. Started
    // on an event loop, the socket is wrapped (and paused) in the same task that connects it.
    // The promise belongs to that context too, so callers' callbacks run on the socket's loop.
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    Promise<TcpDuplex> result = context.promise();
    context.runOnContext(v -> connect(hp).onComplete(result));
    return result.future();
  }

  private Future<TcpDuplex> connect(TcpAddresses.HostPort hp) {
    return client.connect(hp.port(), hp.host()).map(this::wrap);
  }

  /**
   * Listens on {@code addr} (port 0 picks a free port) and hands each accepted connection to {@code
   * onConnection}, on the event loop that owns the socket. One server per event loop shares the
   * port, so accepted connections spread over all of them (ADR 028).
   */
  public Future<TcpListener> listen(Multiaddr addr, Handler<TcpDuplex> onConnection) {
    Objects.requireNonNull(onConnection, "onConnection");
    TcpAddresses.HostPort hp;
    try {
      hp = TcpAddresses.hostPort(addr);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return EventLoopServers.listen(
            vertx,
            hp.port(),
            port -> {
              NetServer server =
                  vertx.createNetServer(
                      new NetServerOptions()
                          .setHost(hp.host())
                          .setPort(port)
                          .setTcpNoDelay(options.tcpNoDelay())
                          .setReuseAddress(true));
              server.connectHandler(socket -> onConnection.handle(wrap(socket)));
              return server.listen();
            },
            NetServer::actualPort,
            NetServer::close)
        .map(
            servers -> {
              String ip = addr.components().get(0).protocol().protocolName();
              int port = servers.get(0).actualPort();
              return new TcpListener(
                  servers, Multiaddr.parse("/" + ip + "/" + hp.host() + "/tcp/" + port));
            });
  }

  /** Releases the dialling client; listeners are closed through their own handles. */
  public Future<Void> close() {
    return client.close();
  }

  private TcpDuplex wrap(NetSocket socket) {
    // Paused until the first consumer attaches its handler and resumes: a dialled socket reaches
    // that consumer through future callbacks that may hop contexts, and bytes the peer sends
    // meanwhile (the responder's multistream header) would otherwise be dropped.
    socket.pause();
    socket.setWriteQueueMaxSize(options.writeQueueMaxBytes());
    if (socket instanceof NetSocketInternal internal) {
      internal
          .channelHandlerContext()
          .channel()
          .config()
          .setRecvByteBufAllocator(
              new AdaptiveRecvByteBufAllocator(64, 16 * 1024, options.readMaxBytes()));
    }
    return new TcpDuplex(socket);
  }
}
