package dev.tally.net.tcp;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import dev.tally.multiformats.MultiaddrProtocol;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/** Conversions between TCP multiaddrs and socket addresses. */
final class TcpAddresses {
  private TcpAddresses() {}

  /** Host and port of {@code /ip4|ip6/<ip>/tcp/<port>[/p2p/<id>]}. */
  record HostPort(String host, int port) {}

  static boolean isTcp(Multiaddr addr) {
    List<Multiaddr.Component> c = addr.components();
    if (c.size() < 2 || c.size() > 3) {
      return false;
    }
    MultiaddrProtocol ip = c.get(0).protocol();
    return (ip == MultiaddrProtocol.IP4 || ip == MultiaddrProtocol.IP6)
        && c.get(1).protocol() == MultiaddrProtocol.TCP
        && (c.size() == 2 || c.get(2).protocol() == MultiaddrProtocol.P2P);
  }

  static HostPort hostPort(Multiaddr addr) {
    if (!isTcp(addr)) {
      throw new MultiaddrException(
          "'" + addr + "' is not a TCP address; expected /ip4|ip6/<ip>/tcp/<port>[/p2p/<peer>]");
    }
    List<Multiaddr.Component> c = addr.components();
    return new HostPort(c.get(0).value(), Integer.parseInt(c.get(1).value()));
  }

  static Multiaddr toMultiaddr(SocketAddress sa) {
    String host = sa.hostAddress();
    String ip = host.indexOf(':') >= 0 ? "ip6" : "ip4";
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    return Multiaddr.parse("/" + ip + "/" + host + "/tcp/" + sa.port());
  }
}
