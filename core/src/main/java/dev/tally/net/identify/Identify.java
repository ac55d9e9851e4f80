package dev.tally.net.identify;

import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.Host;
import dev.tally.net.PeerInfo;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The identify behaviour: answers identify requests, identifies every new connection's peer,
 * accepts pushes, and records what peers say in the host's peer store.
 */
public final class Identify {
  private static final System.Logger LOG = System.getLogger(Identify.class.getName());

  private final Host host;
  private final IdentifyProtocol protocol;
  private final String agentVersion;
  private final Map<Connection, Future<IdentifyInfo>> results = new ConcurrentHashMap<>();
  private final AtomicBoolean pushScheduled = new AtomicBoolean();

  public Identify(Host host, IdentifyCodec codec, String agentVersion) {
    this.host = host;
    this.protocol = new IdentifyProtocol(codec);
    this.agentVersion = agentVersion;
  }

  /** Registers the handlers and starts identifying new connections. */
  public void start() {
    host.setHandler(IdentifyProtocol.ID, this::respond);
    host.setHandler(IdentifyProtocol.PUSH_ID, this::onPush);
    host.onConnection(c -> identified(c).onFailure(e -> {}));
    host.onDisconnection(results::remove);
  }

  /** The result of identifying {@code connection}'s peer, started now if it was not yet. */
  public Future<IdentifyInfo> identified(Connection connection) {
    if (connection.isClosed()) {
      return Future.failedFuture(new IdentifyException("connection closed before identify"));
    }
    return results.computeIfAbsent(
        connection,
        c ->
            c.newStream(List.of(IdentifyProtocol.ID))
                .compose(protocol::receive)
                .map(info -> record(c, info))
                .onFailure(
                    e ->
                        LOG.log(
                            Level.DEBUG,
                            "identify of {0} failed: {1}",
                            c.remotePeer(),
                            e.getMessage())));
  }

  /**
   * Pushes our information to every connected peer once the changes of the next {@code delay} have
   * settled (a burst of handler registrations sends one push).
   */
  public void schedulePush(Vertx vertx, Duration delay) {
    if (pushScheduled.compareAndSet(false, true)) {
      vertx.setTimer(
          Math.max(1, delay.toMillis()),
          id -> {
            pushScheduled.set(false);
            push();
          });
    }
  }

  /**
   * Sends our current information to every connected peer (after our addresses or protocols
   * change).
   */
  public Future<Void> push() {
    List<Future<Void>> sent = new ArrayList<>();
    for (Connection c : host.connections()) {
      sent.add(
          c.newStream(List.of(IdentifyProtocol.PUSH_ID))
              .compose(s -> protocol.send(s, localInfo(Optional.of(c.remoteAddress()))))
              .otherwiseEmpty());
    }
    return Future.join(sent).mapEmpty();
  }

  /** What we tell a peer that connected from {@code observed}. */
  public IdentifyInfo localInfo(Optional<Multiaddr> observed) {
    return new IdentifyInfo(
        Optional.of(host.publicKey()),
        host.listenAddresses(),
        host.protocols(),
        observed,
        Optional.of(IdentifyInfo.IPFS_PROTOCOL_VERSION),
        Optional.of(agentVersion));
  }

  private void respond(Stream stream) {
    protocol
        .send(stream, localInfo(Optional.of(stream.connection().remoteAddress())))
        .onFailure(e -> stream.reset());
  }

  private void onPush(Stream stream) {
    protocol
        .receive(stream)
        .onSuccess(info -> record(stream.connection(), info))
        .onFailure(e -> LOG.log(Level.DEBUG, "identify push rejected: {0}", e.getMessage()));
  }

  private IdentifyInfo record(Connection c, IdentifyInfo info) {
    Optional<PublicKey> key = info.publicKey();
    if (key.isPresent() && !c.remotePeer().matches(key.get())) {
      throw new IdentifyException(
          "peer " + c.remotePeer() + " sent an identify key for " + key.get().peerId());
    }
    host.peerStore()
        .update(
            new PeerInfo(
                c.remotePeer(),
                key,
                info.listenAddrs(),
                info.protocols(),
                info.protocolVersion(),
                info.agentVersion()));
    return info;
  }
}
