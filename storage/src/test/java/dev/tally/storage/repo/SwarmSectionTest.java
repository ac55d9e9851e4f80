package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.host.DialBackoffOptions;
import dev.tally.net.host.HostOptions;
import dev.tally.net.host.ResourceLimits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config's Swarm keys (ConnMgr, ResourceMgr.Limits, Yamux): the defaults are the host's limits
 * as they were before they could be configured, values are read and written back, and bad values
 * are refused with the key named.
 */
class SwarmSectionTest {
  @TempDir Path dir;

  /**
   * Each default as ADR 030, ResourceLimits, Kubo's ConnMgr, HostOptions, MultistreamOptions and
   * go-libp2p's dial back-off document it, written by hand.
   */
  private static final JsonObject DEFAULTS =
      new JsonObject(
          """
          {"ConnMgr": {"LowWater": 32, "HighWater": 96, "GracePeriod": "20s"},
           "ResourceMgr": {"Limits": {
             "System": {"Conns": 256, "Streams": 16384, "Memory": 1073741824},
             "PeerDefault": {"Conns": 8, "Streams": 1024}}},
           "Yamux": {"MaxStreams": 256, "MaxStreamWindowSize": 16777216,
             "MaxWindowGrowth": 67108864, "MaxMessageSize": 65536, "WriteQueueMaxSize": 65536,
             "KeepAliveInterval": "30s", "PingTimeout": "10s", "StreamCloseTimeout": "5m",
             "InitialAcceptBacklog": 10, "AcceptBacklog": 256, "StreamOpenTimeout": "75s",
             "QueuedRetentionRatio": 2},
           "PeerStore": {"MaxPeers": 10000, "MaxAddrsPerPeer": 32},
           "Identify": {"MaxMessageSize": 8192},
           "Negotiation": {"Timeout": "10s", "MaxProposals": 32},
           "DialBackoff": {"Base": "5s", "Coef": "1s", "Max": "5m", "MaxAddrs": 10000},
           "Tcp": {"DialTimeout": "10s", "NoDelay": true, "WriteQueueMaxSize": 1048576,
             "ReadMaxSize": 262144}}
          """);

  @Test
  void defaultsAreTheHostsLimitsAsTheyWere() {
    SwarmSection d = SwarmSection.parse(new JsonObject());
    assertEquals(DEFAULTS, d.toJson());
    assertEquals(HostOptions.defaults(), d.applyTo(HostOptions.defaults()));
    assertEquals(d, SwarmSection.parse(DEFAULTS));
  }

  @Test
  void valuesAreReadAppliedAndSurviveTheConfigFile() {
    JsonObject json =
        new JsonObject(
            """
            {"ConnMgr": {"LowWater": 4, "HighWater": "12", "GracePeriod": "1m"},
             "ResourceMgr": {"Limits": {"System": {"Conns": 20, "Memory": 8388608},
                                        "PeerDefault": {"Streams": 64}}},
             "Yamux": {"MaxStreams": 8, "MaxMessageSize": 16384, "KeepAliveInterval": "0s",
                       "InitialAcceptBacklog": 3, "AcceptBacklog": 40}}
            """);
    SwarmSection s = SwarmSection.parse(json);
    HostOptions applied = s.applyTo(HostOptions.defaults());
    assertEquals(4, applied.connectionManager().lowWater());
    assertEquals(12, applied.connectionManager().highWater());
    assertEquals(Duration.ofMinutes(1), applied.connectionManager().gracePeriod());
    assertEquals(new ResourceLimits(20, 8, 16_384, 64, 8L << 20), applied.resources());
    assertEquals(8, applied.yamux().maxStreams());
    // go-yamux's MaxMessageSize counts the 12-byte header; the frame's payload is the rest.
    assertEquals(16384 - 12, applied.yamux().maxFrameLength());
    assertEquals(Duration.ZERO, applied.yamux().keepAliveInterval());
    assertEquals(3, applied.yamux().initialAckBacklog());
    assertEquals(40, applied.yamux().maxAckBacklog());
    assertEquals(16 * 1024 * 1024, applied.yamux().maxStreamWindow()); // untouched: go-yamux's

    Repo.init(dir.resolve("r"), RepoConfig.defaults().withSwarmLimits(s)).close();
    try (Repo reopened = Repo.open(dir.resolve("r"))) {
      assertEquals(s, reopened.config().swarm());
    }
    // As 'tally config Swarm.Yamux.MaxStreams 32' (no --json) sets it.
    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Swarm.Yamux.MaxStreams", "32");
    assertEquals(32, set.swarm().yamux().maxStreams());
    assertEquals(32, ConfigKeys.get(set, "Swarm.Yamux.MaxStreams"));
    set = ConfigKeys.set(set, "Swarm.ResourceMgr.Limits.PeerDefault.Conns", 2);
    assertEquals(2, set.swarm().resources().maxConnectionsPerPeer());
    assertEquals(32, set.swarm().yamux().maxStreams());
  }

  @Test
  void peerStoreIdentifyAndNegotiationValuesAreReadAndApplied() {
    SwarmSection s =
        SwarmSection.parse(
            new JsonObject(
                """
                {"ResourceMgr": {"Limits": {"System": {"Conns": 20}}},
                 "PeerStore": {"MaxPeers": 20, "MaxAddrsPerPeer": "2"},
                 "Identify": {"MaxMessageSize": 65536},
                 "Negotiation": {"Timeout": "1500ms", "MaxProposals": 4},
                 "DialBackoff": {"Base": "0s", "Coef": "250ms", "Max": "1m", "MaxAddrs": 50}}
                """));
    HostOptions applied = s.applyTo(HostOptions.defaults());
    assertEquals(20, applied.maxPeers());
    assertEquals(2, applied.maxAddressesPerPeer());
    assertEquals(65_536, applied.identifyMaxMessageSize());
    assertEquals(Duration.ofMillis(1500), applied.negotiationTimeout());
    assertEquals(4, applied.negotiation().maxProposals());
    assertEquals(
        new DialBackoffOptions(Duration.ZERO, Duration.ofMillis(250), Duration.ofMinutes(1), 50),
        applied.dialBackoff());
    // go-multistream's message bound is not a key.
    assertEquals(1024, applied.negotiation().maxMessageLength());
    assertEquals(s, SwarmSection.parse(s.toJson()));
    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Swarm.Negotiation.Timeout", "30s");
    assertEquals(
        Duration.ofSeconds(30), set.swarm().applyTo(HostOptions.defaults()).negotiationTimeout());
  }

  @Test
  void tcpTransportValuesAreReadAndApplied() {
    SwarmSection s =
        SwarmSection.parse(
            new JsonObject(
                """
                {"Tcp": {"DialTimeout": "2s", "NoDelay": "false", "WriteQueueMaxSize": "262144",
                         "ReadMaxSize": 65536}}
                """));
    HostOptions applied = s.applyTo(HostOptions.defaults());
    assertEquals(
        new dev.tally.net.tcp.TcpOptions(Duration.ofSeconds(2), false, 262_144, 65_536),
        applied.tcp());
    assertEquals(s, SwarmSection.parse(s.toJson()));
    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Swarm.Tcp.DialTimeout", "30s");
    assertEquals(
        Duration.ofSeconds(30), set.swarm().applyTo(HostOptions.defaults()).tcp().connectTimeout());
  }

  @Test
  void thePeerStoreKeepsEveryConnectedPeer() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> SwarmSection.parse(new JsonObject("{\"PeerStore\":{\"MaxPeers\":100}}")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Swarm.PeerStore.MaxPeers' must be between 256 and 10000000"
                    + " (at least Swarm.ResourceMgr.Limits.System.Conns), got 100"),
        e.getMessage());
  }

  @Test
  void aDialBackOffNeverEndsBeforeItBegins() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () ->
                SwarmSection.parse(
                    new JsonObject("{\"DialBackoff\":{\"Base\":\"10m\",\"Max\":\"1m\"}}")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Swarm.DialBackoff.Max' (1m) must be at least 'Swarm.DialBackoff.Base' (10m)"),
        e.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    String[][] cases = {
      {"ConnMgr.LowWater", "-1"},
      {"ConnMgr.HighWater", "0"},
      {"ConnMgr.GracePeriod", "\"2d\""},
      {"ConnMgr.GracePeriod", "\"25h\""},
      {"ResourceMgr.Limits.System.Conns", "0"},
      {"ResourceMgr.Limits.System.Streams", "\"many\""},
      {"ResourceMgr.Limits.System.Memory", "1024"},
      {"ResourceMgr.Limits.PeerDefault.Streams", "0"},
      {"Yamux.MaxStreams", "0"},
      {"Yamux.MaxStreams", "1.5"},
      {"Yamux.MaxStreamWindowSize", "65536"},
      {"Yamux.MaxWindowGrowth", "-1"},
      {"Yamux.MaxMessageSize", "2097152"},
      {"Yamux.WriteQueueMaxSize", "10"},
      {"Yamux.KeepAliveInterval", "\"2h\""},
      {"Yamux.PingTimeout", "\"0s\""},
      {"Yamux.StreamCloseTimeout", "30"},
      {"Yamux.AcceptBacklog", "0"},
      {"Yamux.StreamOpenTimeout", "\"0ms\""},
      {"Yamux.QueuedRetentionRatio", "0"},
      {"PeerStore.MaxPeers", "10000001"},
      {"PeerStore.MaxAddrsPerPeer", "0"},
      {"PeerStore.MaxAddrsPerPeer", "1025"},
      {"Identify.MaxMessageSize", "1024"},
      {"Identify.MaxMessageSize", "2097152"},
      {"Negotiation.Timeout", "\"500ms\""},
      {"Negotiation.Timeout", "\"11m\""},
      {"Negotiation.MaxProposals", "0"},
      {"Negotiation.MaxProposals", "1025"},
      {"DialBackoff.Base", "\"-1s\""},
      {"DialBackoff.Base", "\"2h\""},
      {"DialBackoff.Coef", "\"2h\""},
      {"DialBackoff.Max", "\"2d\""},
      {"DialBackoff.Max", "\"1s\""},
      {"DialBackoff.MaxAddrs", "0"},
      {"Tcp.DialTimeout", "\"500ms\""},
      {"Tcp.DialTimeout", "\"6m\""},
      {"Tcp.NoDelay", "\"yes\""},
      {"Tcp.WriteQueueMaxSize", "65536"},
      {"Tcp.WriteQueueMaxSize", "1073741825"},
      {"Tcp.ReadMaxSize", "1024"},
      {"Tcp.ReadMaxSize", "16777217"},
    };
    for (String[] c : cases) {
      RepoException e =
          assertThrows(
              RepoException.class,
              () -> RepoConfig.parse(nested("Swarm." + c[0], c[1])),
              c[0] + " = " + c[1]);
      assertTrue(e.getMessage().contains("'Swarm." + c[0] + "'"), c[0] + ": " + e.getMessage());
    }
  }

  @Test
  void limitsThatContradictEachOtherAreRefusedNamingBoth() {
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> SwarmSection.parse(new JsonObject("{\"ConnMgr\":{\"LowWater\":200}}")));
    assertTrue(e.getMessage().contains("Swarm.ConnMgr.HighWater' (96)"), e.getMessage());
    assertTrue(e.getMessage().contains("Swarm.ConnMgr.LowWater' (200)"), e.getMessage());
    e =
        assertThrows(
            RepoException.class,
            () ->
                SwarmSection.parse(
                    new JsonObject(
                        "{\"ResourceMgr\":{\"Limits\":{\"System\":{\"Conns\":4},"
                            + "\"PeerDefault\":{\"Conns\":8}}}}")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Swarm.ResourceMgr.Limits.PeerDefault.Conns' must be between 1 and 4"
                    + " (Swarm.ResourceMgr.Limits.System.Conns)"),
        e.getMessage());
    e =
        assertThrows(
            RepoException.class,
            () -> SwarmSection.parse(new JsonObject("{\"Yamux\":{\"AcceptBacklog\":5}}")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Swarm.Yamux.InitialAcceptBacklog' must be between 1 and 5 (Swarm.Yamux.AcceptBacklog)"),
        e.getMessage());
    // Limits set in code are held to the same ranges as the file's.
    SwarmSection d = SwarmSection.defaults();
    e =
        assertThrows(
            RepoException.class, () -> d.withResources(d.resources().withMaxWindowMemory(1024)));
    assertTrue(e.getMessage().contains("Swarm.ResourceMgr.Limits.System.Memory"), e.getMessage());
  }

  @Test
  void unknownKeysAreRefusedWithTheirPath() {
    String[] keys = {
      "Swarm.Conns",
      "Swarm.ConnMgr.Type",
      "Swarm.ResourceMgr.Enabled",
      "Swarm.ResourceMgr.Limits.Transient",
      "Swarm.ResourceMgr.Limits.System.FD",
      "Swarm.ResourceMgr.Limits.PeerDefault.Memory",
      "Swarm.Yamux.MaxIncomingStreams",
      "Swarm.PeerStore.MaxProtocols",
      "Swarm.Identify.MaxMessages",
      "Swarm.Negotiation.MaxMessageLength",
      "Swarm.Tcp.KeepAlive",
    };
    for (String key : keys) {
      RepoException e =
          assertThrows(RepoException.class, () -> RepoConfig.parse(nested(key, "1")), key);
      assertTrue(e.getMessage().contains("unknown key '" + key + "'"), e.getMessage());
    }
  }

  /** A config JSON with {@code value} (JSON text) at the dotted {@code key}. */
  static String nested(String key, String value) {
    String[] parts = key.split("\\.");
    StringBuilder json = new StringBuilder();
    for (String part : parts) {
      json.append("{\"").append(part).append("\":");
    }
    json.append(value).append("}".repeat(parts.length));
    return json.toString();
  }
}
