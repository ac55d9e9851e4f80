package dev.tally.node;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Listen addresses as peers can dial them: a socket bound to {@code 0.0.0.0} or {@code ::} is
 * reported once per interface address (as Kubo reports its swarm addresses), since the wildcard
 * itself is not dialable.
 */
public final class ListenAddresses {
  private ListenAddresses() {}

  public static List<Multiaddr> dialable(List<Multiaddr> listening) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : listening) {
      boolean any4 = a.valueOf(MultiaddrProtocol.IP4).filter("0.0.0.0"::equals).isPresent();
      boolean any6 = a.valueOf(MultiaddrProtocol.IP6).filter("::"::equals).isPresent();
      if (!any4 && !any6) {
        out.add(a);
        continue;
      }
      String port = a.valueOf(MultiaddrProtocol.TCP).orElse("0");
      for (InetAddress ip : interfaceAddresses()) {
        if (any4 && ip instanceof Inet4Address) {
          out.add(Multiaddr.parse("/ip4/" + ip.getHostAddress() + "/tcp/" + port));
        } else if (any6 && ip instanceof Inet6Address v6 && !v6.isLinkLocalAddress()) {
          String host = ip.getHostAddress();
          int zone = host.indexOf('%');
          out.add(
              Multiaddr.parse(
                  "/ip6/" + (zone < 0 ? host : host.substring(0, zone)) + "/tcp/" + port));
        }
      }
    }
    return out;
  }

  private static List<InetAddress> interfaceAddresses() {
    List<InetAddress> out = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp()) {
          out.addAll(Collections.list(nif.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      // No interface list: report the loopback address, which always works locally.
      out.add(InetAddress.getLoopbackAddress());
    }
    return out;
  }
}
