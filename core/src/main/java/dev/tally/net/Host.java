package dev.tally.net;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.List;

/**
 * A libp2p host: listens and dials, upgrades connections (security, multiplexing), serves protocols
 * on inbound streams and opens negotiated streams to peers. Safe to use from any thread.
 */
public interface Host {
  PeerId peerId();

  PublicKey publicKey();

  /** Listens on {@code addr} (port 0 picks one) and completes with the bound address. */
  Future<Multiaddr> listen(Multiaddr addr);

  /** Addresses we listen on, without {@code /p2p}. */
  List<Multiaddr> listenAddresses();

  /**
   * Dials {@code addr}; a trailing {@code /p2p/<id>} is checked against the peer the handshake
   * proves. Reuses an open connection to that peer if there is one.
   */
  Future<Connection> dial(Multiaddr addr);

  /** Returns an open connection to {@code peer}, or dials the addresses in the peer store. */
  Future<Connection> connect(PeerId peer);

  /** Opens a stream to {@code peer} for the first of {@code protocols} it supports. */
  Future<Stream> newStream(PeerId peer, String... protocols);

  /** Serves inbound streams of {@code protocol}; replaces an earlier handler. */
  Host setHandler(String protocol, ProtocolHandler handler);

  Host removeHandler(String protocol);

  /** Protocols with handlers, as announced by identify. */
  List<String> protocols();

  List<Connection> connections();

  /** Called for every connection once it is upgraded, before its streams are served. */
  Host onConnection(Handler<Connection> handler);

  /** Called for every connection once it has closed. */
  Host onDisconnection(Handler<Connection> handler);

  PeerStore peerStore();

  /** Stops listening and closes every connection. */
  Future<Void> close();
}
