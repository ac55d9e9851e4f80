package dev.tally.net.tcp;

import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;
import java.util.List;

/**
 * A listening TCP socket, served by one server per event loop; {@link #address()} carries the port
 * actually bound.
 */
public final class TcpListener {
  private final List<NetServer> servers;
  private final Multiaddr address;

  TcpListener(List<NetServer> servers, Multiaddr address) {
    this.servers = List.copyOf(servers);
    this.address = address;
  }

  public Multiaddr address() {
    return address;
  }

  /** How many event loops accept connections for this socket. */
  public int servers() {
    return servers.size();
  }

  /** Stops accepting; the socket is released once every event loop's server has closed. */
  public Future<Void> close() {
    return EventLoopServers.closeAll(servers, NetServer::close);
  }

  @Override
  public String toString() {
    return "TcpListener(" + address + ")";
  }
}
