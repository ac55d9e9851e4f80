package dev.tally.net;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Future;
import java.util.List;

/** An authenticated, multiplexed connection to one peer. */
public interface Connection {
  /** The peer proven by the security handshake. */
  PeerId remotePeer();

  /** The remote transport address, e.g. {@code /ip4/127.0.0.1/tcp/4001}. */
  Multiaddr remoteAddress();

  Multiaddr localAddress();

  Direction direction();

  /** The negotiated security protocol and multiplexer. */
  ConnectionState state();

  /**
   * Opens a stream and negotiates the first of {@code protocols} the peer supports. Fails with the
   * negotiation's error if it supports none.
   */
  Future<Stream> newStream(List<String> protocols);

  /** Streams open on this connection. */
  int streamCount();

  /** Closes the connection gracefully (go-away); open streams are reset. */
  Future<Void> close();

  /** Completes when the connection has closed for any reason. */
  Future<Void> closeFuture();

  boolean isClosed();
}
