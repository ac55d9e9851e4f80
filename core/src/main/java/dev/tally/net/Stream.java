package dev.tally.net;

/**
 * A negotiated stream on a {@link Connection}: a {@link Duplex} with back-pressure whose handlers
 * run on the connection's context. Its methods may be called from any thread; calls from outside
 * that context are forwarded to it.
 */
public interface Stream extends Duplex {
  /** The protocol multistream-select agreed on. */
  String protocol();

  Connection connection();

  Direction direction();
}
