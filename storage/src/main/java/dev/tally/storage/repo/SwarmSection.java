package dev.tally.storage.repo;

import dev.tally.net.host.ConnectionManagerOptions;
import dev.tally.net.host.HostOptions;
import dev.tally.net.host.ResourceLimits;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.yamux.YamuxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The config's {@code Swarm} section: the libp2p host's connection manager, resource limits, Yamux
 * muxer limits (ADR 034), and its peer-store, identify, negotiation and dial back-off bounds (ADR
 * 038), applied when the daemon starts. {@code ConnMgr} and {@code ResourceMgr.Limits} use Kubo's
 * and go-libp2p's names; Kubo has no Yamux, peer-store, identify, negotiation or back-off keys, so
 * those are ours, Yamux's taken from go-yamux's {@code Config} where it has the concept.
 *
 * <pre>{@code
 * "Swarm": {
 *   "ConnMgr": { "LowWater": 32, "HighWater": 96, "GracePeriod": "20s" },
 *   "ResourceMgr": { "Limits": {
 *     "System": { "Conns": 256, "Streams": 16384, "Memory": 1073741824 },
 *     "PeerDefault": { "Conns": 8, "Streams": 1024 } } },
 *   "Yamux": { "MaxStreams": 256, "AcceptBacklog": 256, ... },  // see YamuxKeys
 *   "PeerStore": { "MaxPeers": 10000, "MaxAddrsPerPeer": 32 },  // see PeerKeys
 *   "Identify": { "MaxMessageSize": 8192 },
 *   "Negotiation": { "Timeout": "10s", "MaxProposals": 32 },
 *   "DialBackoff": { "Base": "5s", "Coef": "1s", "Max": "5m", "MaxAddrs": 10000 },
 *   "Tcp": { "DialTimeout": "10s", "NoDelay": true, ... }         // see TcpKeys
 * }
 * }</pre>
 *
 * @param connMgr when the host trims connections ({@code Swarm.ConnMgr.*})
 * @param resources connection, stream and window-memory limits, host-wide ({@code System}) and per
 *     peer ({@code PeerDefault}); over them a connection is closed, a stream reset
 * @param yamux the limits of each connection's Yamux session ({@code Swarm.Yamux.*})
 * @param peers the peer-store, identify, negotiation and dial back-off bounds ({@code
 *     Swarm.PeerStore.*}, {@code Swarm.Identify.*}, {@code Swarm.Negotiation.*}, {@code
 *     Swarm.DialBackoff.*})
 * @param tcp the TCP transport's dial timeout, Nagle setting and socket sizes ({@code Swarm.Tcp.*})
 */
public record SwarmSection(
    ConnectionManagerOptions connMgr,
    ResourceLimits resources,
    YamuxOptions yamux,
    PeerKeys peers,
    TcpOptions tcp) {
  static final String PREFIX = "Swarm.";
  private static final String CONN_MGR = PREFIX + "ConnMgr.";
  private static final String LIMITS = PREFIX + "ResourceMgr.Limits.";
  private static final int MAX_CONNS = 1_000_000;
  private static final int MAX_STREAMS = 10_000_000;

  /** One stream's initial Yamux window: less memory than this and no stream could open. */
  private static final long MIN_MEMORY = YamuxOptions.INITIAL_STREAM_WINDOW;

  private static final long MAX_MEMORY = 1L << 40;
  private static final Duration MAX_GRACE = Duration.ofHours(24);

  /** Validates as a config file is: a value set in code is held to the file's ranges. */
  public SwarmSection {
    Objects.requireNonNull(connMgr, "connMgr");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(yamux, "yamux");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(tcp, "tcp");
    connMgr(connMgrJson(connMgr), ConnectionManagerOptions.defaults());
    resources(limitsJson(resources), ResourceLimits.defaults());
    YamuxKeys.parse(YamuxKeys.toJson(yamux));
    JsonObject p = new JsonObject();
    peers.addTo(p);
    PeerKeys.parse(p, resources.maxConnections());
    TcpKeys.parse(TcpKeys.toJson(tcp));
  }

  public static SwarmSection defaults() {
    HostOptions d = HostOptions.defaults();
    return new SwarmSection(
        d.connectionManager(), d.resources(), d.yamux(), PeerKeys.of(d), d.tcp());
  }

  /** This section with other resource limits. */
  public SwarmSection withResources(ResourceLimits limits) {
    return new SwarmSection(connMgr, limits, yamux, peers, tcp);
  }

  /** {@code base} with this section's connection manager, resource, Yamux, peer and TCP limits. */
  public HostOptions applyTo(HostOptions base) {
    return peers.applyTo(
        base.withConnectionManager(connMgr).withResources(resources).withYamux(yamux).withTcp(tcp));
  }

  static SwarmSection parse(JsonObject section) {
    Set<String> known = new HashSet<>(PeerKeys.SECTIONS);
    known.addAll(Set.of("ConnMgr", "ResourceMgr", "Yamux", TcpKeys.SECTION));
    LogSection.rejectUnknown(section, known, PREFIX);
    SwarmSection d = defaults();
    JsonObject rm = Knobs.object(section, PREFIX, "ResourceMgr");
    LogSection.rejectUnknown(rm, Set.of("Limits"), PREFIX + "ResourceMgr.");
    ResourceLimits resources =
        resources(Knobs.object(rm, PREFIX + "ResourceMgr.", "Limits"), d.resources());
    return new SwarmSection(
        connMgr(Knobs.object(section, PREFIX, "ConnMgr"), d.connMgr()),
        resources,
        YamuxKeys.parse(Knobs.object(section, PREFIX, "Yamux")),
        PeerKeys.parse(section, resources.maxConnections()),
        TcpKeys.parse(Knobs.object(section, PREFIX, TcpKeys.SECTION)));
  }

  JsonObject toJson() {
    JsonObject out =
        new JsonObject()
            .put("ConnMgr", connMgrJson(connMgr))
            .put("ResourceMgr", new JsonObject().put("Limits", limitsJson(resources)))
            .put("Yamux", YamuxKeys.toJson(yamux))
            .put(TcpKeys.SECTION, TcpKeys.toJson(tcp));
    peers.addTo(out);
    return out;
  }

  private static ConnectionManagerOptions connMgr(JsonObject c, ConnectionManagerOptions d) {
    LogSection.rejectUnknown(c, Set.of("LowWater", "HighWater", "GracePeriod"), CONN_MGR);
    int low = Knobs.intCount(c, CONN_MGR, "LowWater", d.lowWater(), 0, MAX_CONNS);
    int high = Knobs.intCount(c, CONN_MGR, "HighWater", d.highWater(), 1, MAX_CONNS);
    if (high < low) {
      throw new RepoException(
          "config: '"
              + CONN_MGR
              + "HighWater' ("
              + high
              + ") must be at least '"
              + CONN_MGR
              + "LowWater' ("
              + low
              + ")");
    }
    Duration grace =
        Knobs.duration(c, CONN_MGR, "GracePeriod", d.gracePeriod(), Duration.ZERO, MAX_GRACE);
    return new ConnectionManagerOptions(low, high, grace, d.checkInterval());
  }

  private static JsonObject connMgrJson(ConnectionManagerOptions c) {
    return new JsonObject()
        .put("LowWater", c.lowWater())
        .put("HighWater", c.highWater())
        .put("GracePeriod", LogSection.text(c.gracePeriod()));
  }

  private static ResourceLimits resources(JsonObject limits, ResourceLimits d) {
    LogSection.rejectUnknown(limits, Set.of("System", "PeerDefault"), LIMITS);
    JsonObject system = Knobs.object(limits, LIMITS, "System");
    JsonObject peer = Knobs.object(limits, LIMITS, "PeerDefault");
    String sys = LIMITS + "System.";
    String per = LIMITS + "PeerDefault.";
    LogSection.rejectUnknown(system, Set.of("Conns", "Streams", "Memory"), sys);
    LogSection.rejectUnknown(peer, Set.of("Conns", "Streams"), per);
    int conns = Knobs.intCount(system, sys, "Conns", d.maxConnections(), 1, MAX_CONNS);
    int streams = Knobs.intCount(system, sys, "Streams", d.maxStreams(), 1, MAX_STREAMS);
    long memory = Knobs.count(system, sys, "Memory", d.maxWindowMemory(), MIN_MEMORY, MAX_MEMORY);
    // A peer's share cannot exceed the whole: such a limit would never be the one that binds.
    int peerConns =
        Knobs.intCount(peer, per, "Conns", d.maxConnectionsPerPeer(), 1, conns, sys + "Conns");
    int peerStreams =
        Knobs.intCount(peer, per, "Streams", d.maxStreamsPerPeer(), 1, streams, sys + "Streams");
    return new ResourceLimits(conns, peerConns, streams, peerStreams, memory);
  }

  private static JsonObject limitsJson(ResourceLimits r) {
    return new JsonObject()
        .put(
            "System",
            new JsonObject()
                .put("Conns", r.maxConnections())
                .put("Streams", r.maxStreams())
                .put("Memory", r.maxWindowMemory()))
        .put(
            "PeerDefault",
            new JsonObject()
                .put("Conns", r.maxConnectionsPerPeer())
                .put("Streams", r.maxStreamsPerPeer()));
  }
}
