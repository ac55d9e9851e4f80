package dev.tally.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenAddressesTest {
  @Test
  void keepsSpecificAddressesAsTheyAre() {
    List<Multiaddr> bound = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
    assertEquals(bound, ListenAddresses.dialable(bound));
  }

  @Test
  void expandsTheIpv4WildcardToEachInterfaceAddressWithThePort() {
    List<Multiaddr> out =
        ListenAddresses.dialable(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/4321")));
    assertTrue(out.contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/4321")), out.toString());
    assertTrue(out.stream().allMatch(a -> a.toString().endsWith("/tcp/4321")), out.toString());
    assertTrue(out.stream().noneMatch(a -> a.toString().startsWith("/ip4/0.0.0.0/")));
  }
}
