package dev.tally.net.tcp;

import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;

/** A listening TCP socket; {@link #address()} carries the port actually bound. */
public final class TcpListener {
  private final NetServer server;
  private final Multiaddr address;

  TcpListener(NetServer server, Multiaddr address) {
    this.server = server;
    this.address = address;
  }

  public Multiaddr address() {
    return address;
  }

  /** Stops accepting; connections already accepted stay open. */
  public Future<Void> close() {
    return server.close();
  }

  @Override
  public String toString() {
    return "TcpListener(" + address + ")";
  }
}
