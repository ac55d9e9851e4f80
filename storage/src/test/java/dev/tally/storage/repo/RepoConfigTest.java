package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepoConfigTest {
  @Test
  void readsSwarmAddressesAndBootstrapPeersAsKuboNamesThem() {
    String peer = "/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    RepoConfig config =
        RepoConfig.parse(
            "{\"Addresses\":{\"Swarm\":[\"/ip4/127.0.0.1/tcp/0\"]},\"Bootstrap\":[\""
                + peer
                + "\"]}");
    assertEquals("[/ip4/127.0.0.1/tcp/0]", config.swarmAddresses().toString());
    assertEquals("[" + peer + "]", config.bootstrap().toString());
    assertEquals(config, RepoConfig.parse(config.toJson()));
  }

  @Test
  void defaultsToKubosSwarmPortAndNoBootstrapPeers() {
    RepoConfig config = RepoConfig.parse("{}");
    assertEquals("[/ip4/0.0.0.0/tcp/4001]", config.swarmAddresses().toString());
    assertTrue(config.bootstrap().isEmpty());
  }

  @Test
  void refusesASwarmThatIsNotAListOfMultiaddrs() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse("{\"Addresses\":{\"Swarm\":\"/ip4/1.2.3.4/tcp/1\"}}"));
    assertTrue(e.getMessage().contains("Addresses.Swarm"), e.getMessage());
    e = assertThrows(RepoException.class, () -> RepoConfig.parse("{\"Bootstrap\":[\"/nope/1\"]}"));
    assertTrue(e.getMessage().contains("Bootstrap"), e.getMessage());
  }

  @Test
  void defaultsToKubosLoopbackAddresses() {
    RepoConfig config = RepoConfig.parse("{\"version\":1}");
    assertEquals("/ip4/127.0.0.1/tcp/5001", config.apiAddress().toString());
    assertEquals("/ip4/127.0.0.1/tcp/8080", config.gatewayAddress().toString());
    assertEquals("unixfs-v0-2015", config.importProfile());
  }

  @Test
  void readsKuboNamedAddressesAndKeepsTheImportProfile() {
    RepoConfig config =
        RepoConfig.parse(
            "{\"version\":1,\"import\":{\"profile\":\"unixfs-v1-2025\"},"
                + "\"Addresses\":{\"API\":\"/ip4/0.0.0.0/tcp/5101\",\"Gateway\":\"/ip6/::1/tcp/0\"}}");
    assertEquals("/ip4/0.0.0.0/tcp/5101", config.apiAddress().toString());
    assertEquals("/ip6/::1/tcp/0", config.gatewayAddress().toString());
    assertEquals("unixfs-v1-2025", config.importProfile());
  }

  @Test
  void roundTripsThroughJson() {
    RepoConfig config =
        RepoConfig.parse(
            "{\"Addresses\":{\"API\":\"/ip4/127.0.0.1/tcp/1\",\"Gateway\":\"/ip4/127.0.0.1/tcp/2\"}}");
    assertEquals(config, RepoConfig.parse(config.toJson()));
  }

  @Test
  void rejectsUnknownAddressKeysByName() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse("{\"Addresses\":{\"Gatway\":\"/ip4/127.0.0.1/tcp/8080\"}}"));
    assertTrue(e.getMessage().contains("Addresses.Gatway"), e.getMessage());
  }

  @Test
  void rejectsAnAddressThatIsNotAMultiaddr() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse("{\"Addresses\":{\"API\":\"127.0.0.1:5001\"}}"));
    assertTrue(e.getMessage().contains("Addresses.API"), e.getMessage());
  }

  @Test
  void readsHttpBoundsWithGoDurationsAndRefusesBadOnes() {
    RepoConfig config =
        RepoConfig.parse(
            "{\"HTTP\":{\"MaxConnections\":100,\"ReadHeaderTimeout\":\"500ms\","
                + "\"IdleTimeout\":\"2m\"}}");
    assertEquals(100, config.http().maxConnections());
    assertEquals(64, config.http().maxConcurrentRequests());
    assertEquals(java.time.Duration.ofMillis(500), config.http().readHeaderTimeout());
    assertEquals(java.time.Duration.ofMinutes(2), config.http().idleTimeout());
    assertEquals(config, RepoConfig.parse(config.toJson()));
    assertEquals(4096, RepoConfig.parse("{}").http().maxConnections());
    RepoException duration =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse("{\"HTTP\":{\"ReadHeaderTimeout\":\"ten seconds\"}}"));
    assertTrue(duration.getMessage().contains("HTTP.ReadHeaderTimeout"), duration.getMessage());
    RepoException zero =
        assertThrows(
            RepoException.class, () -> RepoConfig.parse("{\"HTTP\":{\"MaxConnections\":0}}"));
    assertTrue(zero.getMessage().contains("HTTP.MaxConnections"), zero.getMessage());
    RepoException unknown =
        assertThrows(RepoException.class, () -> RepoConfig.parse("{\"HTTP\":{\"MaxConns\":10}}"));
    assertTrue(unknown.getMessage().contains("'HTTP.MaxConns'"), unknown.getMessage());
  }
}
