package dev.tally.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

class TcpAddressesTest {
  @Test
  void acceptsIp4AndIp6TcpWithOptionalPeer() {
    assertTrue(TcpTransport.canDial(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")));
    assertTrue(TcpTransport.canDial(Multiaddr.parse("/ip6/::1/tcp/4001")));
    assertTrue(
        TcpTransport.canDial(
            Multiaddr.parse(
                "/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")));
    assertEquals(
        new TcpAddresses.HostPort("::1", 4001),
        TcpAddresses.hostPort(Multiaddr.parse("/ip6/::1/tcp/4001")));
  }

  @Test
  void rejectsOtherTransportsAndExtraComponents() {
    assertFalse(TcpTransport.canDial(Multiaddr.parse("/ip4/10.0.0.1/udp/4001/quic-v1")));
    assertFalse(TcpTransport.canDial(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001/ws")));
    assertFalse(TcpTransport.canDial(Multiaddr.parse("/dns4/example.org/tcp/4001")));
    assertFalse(TcpTransport.canDial(Multiaddr.parse("/ip4/10.0.0.1")));
  }

  @Test
  void socketAddressesBecomeMultiaddrs() {
    assertEquals(
        "/ip4/127.0.0.1/tcp/4001",
        TcpAddresses.toMultiaddr(SocketAddress.inetSocketAddress(4001, "127.0.0.1")).toString());
    assertEquals(
        "/ip6/::1/tcp/4001",
        TcpAddresses.toMultiaddr(SocketAddress.inetSocketAddress(4001, "::1")).toString());
  }
}
