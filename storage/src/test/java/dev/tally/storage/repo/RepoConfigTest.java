package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
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

  /** A config with every part away from its default; {@code n} picks one of two such configs. */
  private static JsonObject everyPartSet(int n) {
    return new JsonObject(
        "{\"version\":1,\"import\":{\"profile\":\""
            + (n == 1 ? "unixfs-v1-2025" : "unixfs-v0-2015")
            + "\"},\"Addresses\":{\"API\":\"/ip4/127.0.0.1/tcp/"
            + (5100 + n)
            + "\",\"Gateway\":\"/ip4/127.0.0.1/tcp/"
            + (8100 + n)
            + "\",\"Swarm\":[\"/ip4/127.0.0.1/tcp/"
            + (4100 + n)
            + "\"]},\"Bootstrap\":[\"/ip4/10.0.0."
            + n
            + "/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA\"],"
            + "\"Datastore\":{\"StorageMax\":\""
            + n
            + "GB\",\"StorageGCWatermark\":"
            + (50 + n)
            + "},\"API\":{\"HTTPHeaders\":{\"X-Test\":[\"v"
            + n
            + "\"]}},\"Log\":{\"Sync\":{\"MaxMessageBytes\":"
            + (4_194_304 + n)
            + "}},\"HTTP\":{\"MaxConnections\":"
            + (100 + n)
            + "},\"PinningService\":{\"Backend\":\"local\",\"ReplicationMin\":"
            + n
            + ",\"ReplicationMax\":5},\"Cluster\":{\"Audit\":{\"PerRound\":"
            + (5 + n)
            + "}},\"Swarm\":{\"Yamux\":{\"MaxStreams\":"
            + (200 + n)
            + "}},\"Internal\":{\"Bitswap\":{\"EngineBlockstoreWorkerCount\":"
            + (10 + n)
            + "}}}");
  }

  /** Config one with the top-level {@code keys} of config two: the expected value, via JSON. */
  private static RepoConfig oneWithTwos(String... keys) {
    JsonObject one = everyPartSet(1);
    JsonObject two = everyPartSet(2);
    for (String key : keys) {
      if (key.startsWith("Addresses.")) {
        String k = key.substring("Addresses.".length());
        one.getJsonObject("Addresses").put(k, two.getJsonObject("Addresses").getValue(k));
      } else {
        one.put(key, two.getValue(key));
      }
    }
    return RepoConfig.parse(one.encode());
  }

  @Test
  void eachWithChangesItsOwnPartAndKeepsEveryOther() {
    RepoConfig one = RepoConfig.parse(everyPartSet(1).encode());
    RepoConfig two = RepoConfig.parse(everyPartSet(2).encode());
    assertNotEquals(one, two);
    assertEquals(
        oneWithTwos("Addresses.API", "Addresses.Gateway"),
        one.withAddresses(two.apiAddress(), two.gatewayAddress()));
    assertEquals(oneWithTwos("Addresses.Swarm"), one.withSwarm(two.swarmAddresses()));
    assertEquals(oneWithTwos("Bootstrap"), one.withBootstrap(two.bootstrap()));
    assertEquals(oneWithTwos("Datastore"), one.withDatastore(two.datastore()));
    assertEquals(oneWithTwos("API"), one.withApi(two.api()));
    assertEquals(oneWithTwos("Log"), one.withLog(two.log()));
    assertEquals(oneWithTwos("HTTP"), one.withHttp(two.http()));
    assertEquals(oneWithTwos("PinningService"), one.withPinning(two.pinning()));
    assertEquals(oneWithTwos("Cluster"), one.withCluster(two.cluster()));
    assertEquals(oneWithTwos("Swarm"), one.withSwarmLimits(two.swarm()));
    assertEquals(oneWithTwos("Internal"), one.withInternal(two.internal()));
    assertEquals(oneWithTwos("import"), one.toBuilder().importProfile(two.importProfile()).build());
    assertEquals(one, one.toBuilder().build());
  }

  @Test
  void theBuilderValidatesAsTheConstructorDoes() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.defaults().toBuilder().importProfile("unixfs-v9").build());
    assertTrue(e.getMessage().contains("import.profile"), e.getMessage());
  }

  @Test
  void testProfileListensOnEphemeralLoopbackPortsAsKubosDoes() {
    // Kubo's config profile "test": Addresses.API, .Gateway and .Swarm on 127.0.0.1 port 0.
    RepoConfig config = RepoConfig.testProfile();
    assertEquals("/ip4/127.0.0.1/tcp/0", config.apiAddress().toString());
    assertEquals("/ip4/127.0.0.1/tcp/0", config.gatewayAddress().toString());
    assertEquals("[/ip4/127.0.0.1/tcp/0]", config.swarmAddresses().toString());
    assertTrue(config.bootstrap().isEmpty());
    assertEquals(RepoConfig.defaults().datastore(), config.datastore());
  }
}
