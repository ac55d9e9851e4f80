package dev.tally.pinning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.repo.ApiSection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Without {@code API.Authorizations} any bearer token gets an account: fine on loopback, where only
 * this host's users reach the port, refused anywhere else.
 */
class PinningApiExposureTest {
  private static final ApiSection NO_TOKENS = ApiSection.defaults();
  private static final ApiSection TOKENS =
      new ApiSection(
          Map.of(),
          Map.of("alice", new ApiSection.Authorization("bearer:s3cret", List.of("/pins"))));

  private static Optional<String> refusal(String listensOn, ApiSection api) {
    return PinningApi.refusal(Multiaddr.parse(listensOn), api);
  }

  @Test
  void loopbackAddressesAreLoopbackAndOthersAreNot() {
    assertTrue(PinningApi.isLoopback(Multiaddr.parse("/ip4/127.0.0.1/tcp/5001")));
    assertTrue(PinningApi.isLoopback(Multiaddr.parse("/ip4/127.8.9.10/tcp/5001")));
    assertTrue(PinningApi.isLoopback(Multiaddr.parse("/ip6/::1/tcp/5001")));
    assertFalse(PinningApi.isLoopback(Multiaddr.parse("/ip4/0.0.0.0/tcp/5001")));
    assertFalse(PinningApi.isLoopback(Multiaddr.parse("/ip6/::/tcp/5001")));
    assertFalse(PinningApi.isLoopback(Multiaddr.parse("/ip4/192.168.1.20/tcp/5001")));
    assertFalse(PinningApi.isLoopback(Multiaddr.parse("/dns4/localhost/tcp/5001")));
  }

  @Test
  void anApiBeyondLoopbackWithoutTokensRefusesWithTheFixInTheMessage() {
    String why = refusal("/ip4/0.0.0.0/tcp/5001", NO_TOKENS).orElseThrow();
    assertTrue(why.contains("/ip4/0.0.0.0/tcp/5001"), why);
    assertTrue(why.contains("API.Authorizations"), why);
    assertTrue(why.contains("127.0.0.1"), why);
  }

  @Test
  void configuredTokensOrLoopbackServe() {
    assertEquals(Optional.empty(), refusal("/ip4/0.0.0.0/tcp/5001", TOKENS));
    assertEquals(Optional.empty(), refusal("/ip4/127.0.0.1/tcp/5001", NO_TOKENS));
    assertEquals(Optional.empty(), refusal("/ip6/::1/tcp/5001", NO_TOKENS));
  }
}
