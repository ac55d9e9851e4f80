package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.ConnectionState;
import dev.tally.net.Direction;
import dev.tally.net.ProtocolHandler;
import dev.tally.net.Stream;
import dev.tally.net.multistream.MultistreamSelect;
import dev.tally.net.yamux.YamuxSession;
import dev.tally.net.yamux.YamuxStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

/** An upgraded connection: a Yamux session whose streams are negotiated by multistream-select. */
final class HostConnection implements Connection {
  private static final System.Logger LOG = System.getLogger(HostConnection.class.getName());

  private final BasicHost host;
  private final Vertx vertx;
  private final Context context;
  private final EventLoopGate gate;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final Direction direction;
  private final ConnectionState state;
  private final long openedAt = System.nanoTime();

  HostConnection(
      BasicHost host,
      Context context,
      YamuxSession session,
      PeerId remotePeer,
      Multiaddr remoteAddress,
      Multiaddr localAddress,
      Direction direction,
      ConnectionState state) {
    this.host = host;
    this.state = state;
    this.vertx = context.owner();
    this.context = context;
    this.gate = new EventLoopGate(context);
    this.session = session;
    this.remotePeer = remotePeer;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.direction = direction;
  }

  /** Starts serving inbound streams; call on the connection's context. */
  void start() {
    session.streamHandler(this::onInboundStream);
  }

  private void onInboundStream(YamuxStream raw) {
    MultistreamSelect.handle(vertx, raw, host.registry(), host.multistreamOptions())
        .onSuccess(
            negotiated -> {
              Optional<ProtocolHandler> handler = host.handler(negotiated.protocol());
              if (handler.isEmpty()) {
                negotiated.duplex().reset();
                return;
              }
              HostStream stream =
                  new HostStream(
                      context, negotiated.duplex(), negotiated.protocol(), this, Direction.INBOUND);
              try {
                handler.get().handle(stream);
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handler for " + negotiated.protocol() + " failed", e);
                stream.reset();
              }
            })
        .onFailure(
            e -> {
              LOG.log(Level.DEBUG, "inbound stream negotiation failed: {0}", e.getMessage());
              raw.reset();
            });
  }

  @Override
  public Future<Stream> newStream(List<String> protocols) {
    if (protocols.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("no protocol to propose"));
    }
    List<String> proposals = List.copyOf(protocols);
    return gate.call(() -> openStream(proposals));
  }

  private Future<Stream> openStream(List<String> protocols) {
    return session
        .open()
        .compose(
            raw ->
                MultistreamSelect.select(vertx, raw, protocols, host.multistreamOptions())
                    .<Stream>map(
                        n ->
                            new HostStream(
                                context, n.duplex(), n.protocol(), this, Direction.OUTBOUND))
                    .onFailure(e -> raw.reset()));
  }

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public ConnectionState state() {
    return state;
  }

  @Override
  public int streamCount() {
    return session.streamCount();
  }

  @Override
  public Future<Void> close() {
    return gate.call(session::close);
  }

  @Override
  public Future<Void> closeFuture() {
    return session.closeFuture();
  }

  @Override
  public boolean isClosed() {
    return session.isClosed();
  }

  /** When the connection was upgraded ({@link System#nanoTime()}). */
  long openedAt() {
    return openedAt;
  }

  Context context() {
    return context;
  }

  YamuxSession session() {
    return session;
  }

  @Override
  public String toString() {
    return "Connection[" + direction + " " + remotePeer + " " + remoteAddress + "]";
  }
}
