package dev.tally.storage.repo;

import dev.tally.net.host.DialBackoffOptions;
import dev.tally.net.host.HostOptions;
import dev.tally.net.multistream.MultistreamOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The config's {@code Swarm.PeerStore}, {@code Swarm.Identify}, {@code Swarm.Negotiation} and
 * {@code Swarm.DialBackoff} keys: what the host remembers of peers, how long and how far it
 * negotiates with them, and how long it leaves an address that failed to dial. Kubo has no keys for
 * these (go-libp2p fixes them in code), so the names are ours, in the style of {@code
 * Swarm.ConnMgr}; the back-off's follow go-libp2p's {@code BackoffBase}, {@code BackoffCoef} and
 * {@code BackoffMax} (ADR 038).
 *
 * <pre>{@code
 * "PeerStore": { "MaxPeers": 10000, "MaxAddrsPerPeer": 32 },
 * "Identify": { "MaxMessageSize": 8192 },       // largest identify message read or sent
 * "Negotiation": { "Timeout": "10s", "MaxProposals": 32 },
 * "DialBackoff": { "Base": "5s", "Coef": "1s", "Max": "5m", "MaxAddrs": 10000 }
 * }</pre>
 *
 * @param maxPeers peers the peer store remembers; at least {@code System.Conns}, so every connected
 *     peer's identify result is kept
 * @param maxAddrsPerPeer addresses remembered per peer
 * @param identifyMaxMessageSize largest identify message read or sent
 * @param negotiation time allowed for each multistream-select negotiation and Noise handshake, and
 *     the proposals a responder answers; its message length is not a key (go-multistream's 1024)
 * @param dialBackoff after the n-th failed dial in a row an address waits {@code Base + Coef·n²},
 *     at most {@code Max}; {@code MaxAddrs} addresses are remembered
 */
public record PeerKeys(
    int maxPeers,
    int maxAddrsPerPeer,
    int identifyMaxMessageSize,
    MultistreamOptions negotiation,
    DialBackoffOptions dialBackoff) {
  private static final String STORE = SwarmSection.PREFIX + "PeerStore.";
  private static final String IDENTIFY = SwarmSection.PREFIX + "Identify.";
  private static final String NEGOTIATION = SwarmSection.PREFIX + "Negotiation.";
  private static final String BACKOFF = SwarmSection.PREFIX + "DialBackoff.";
  static final Set<String> SECTIONS = Set.of("PeerStore", "Identify", "Negotiation", "DialBackoff");

  static PeerKeys of(HostOptions o) {
    return new PeerKeys(
        o.maxPeers(),
        o.maxAddressesPerPeer(),
        o.identifyMaxMessageSize(),
        o.negotiation(),
        o.dialBackoff());
  }

  HostOptions applyTo(HostOptions base) {
    return base.withPeerBounds(maxPeers, maxAddrsPerPeer, identifyMaxMessageSize)
        .withNegotiation(negotiation)
        .withDialBackoff(dialBackoff);
  }

  /**
   * @param systemConns {@code Swarm.ResourceMgr.Limits.System.Conns}, the least {@code MaxPeers}
   */
  static PeerKeys parse(JsonObject swarm, int systemConns) {
    PeerKeys d = of(HostOptions.defaults());
    JsonObject store = Knobs.object(swarm, SwarmSection.PREFIX, "PeerStore");
    JsonObject identify = Knobs.object(swarm, SwarmSection.PREFIX, "Identify");
    JsonObject negotiation = Knobs.object(swarm, SwarmSection.PREFIX, "Negotiation");
    LogSection.rejectUnknown(store, Set.of("MaxPeers", "MaxAddrsPerPeer"), STORE);
    LogSection.rejectUnknown(identify, Set.of("MaxMessageSize"), IDENTIFY);
    LogSection.rejectUnknown(negotiation, Set.of("Timeout", "MaxProposals"), NEGOTIATION);
    int peers =
        (int)
            Knobs.count(
                store,
                STORE,
                "MaxPeers",
                d.maxPeers(),
                systemConns,
                "at least " + SwarmSection.PREFIX + "ResourceMgr.Limits.System.Conns",
                10_000_000,
                "");
    return new PeerKeys(
        peers,
        Knobs.intCount(store, STORE, "MaxAddrsPerPeer", d.maxAddrsPerPeer(), 1, 1024),
        // go-libp2p's unsigned identify limit (2 KiB) is the least any peer expects us to read.
        Knobs.intCount(
            identify, IDENTIFY, "MaxMessageSize", d.identifyMaxMessageSize(), 2048, 1 << 20),
        d.negotiation()
            .withTimeout(
                Knobs.duration(
                    negotiation,
                    NEGOTIATION,
                    "Timeout",
                    d.negotiation().timeout(),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(10)))
            .withMaxProposals(
                Knobs.intCount(
                    negotiation,
                    NEGOTIATION,
                    "MaxProposals",
                    d.negotiation().maxProposals(),
                    1,
                    1024)),
        dialBackoff(Knobs.object(swarm, SwarmSection.PREFIX, "DialBackoff"), d.dialBackoff()));
  }

  private static DialBackoffOptions dialBackoff(JsonObject b, DialBackoffOptions d) {
    LogSection.rejectUnknown(b, Set.of("Base", "Coef", "Max", "MaxAddrs"), BACKOFF);
    Duration hour = Duration.ofHours(1);
    Duration base = Knobs.duration(b, BACKOFF, "Base", d.base(), Duration.ZERO, hour);
    Duration max = Knobs.duration(b, BACKOFF, "Max", d.max(), Duration.ZERO, Duration.ofDays(1));
    if (max.compareTo(base) < 0) {
      throw new RepoException(
          "config: '"
              + BACKOFF
              + "Max' ("
              + LogSection.text(max)
              + ") must be at least '"
              + BACKOFF
              + "Base' ("
              + LogSection.text(base)
              + ")");
    }
    return new DialBackoffOptions(
        base,
        Knobs.duration(b, BACKOFF, "Coef", d.coefficient(), Duration.ZERO, hour),
        max,
        Knobs.intCount(b, BACKOFF, "MaxAddrs", d.capacity(), 1, 10_000_000));
  }

  void addTo(JsonObject swarm) {
    swarm
        .put(
            "PeerStore",
            new JsonObject().put("MaxPeers", maxPeers).put("MaxAddrsPerPeer", maxAddrsPerPeer))
        .put("Identify", new JsonObject().put("MaxMessageSize", identifyMaxMessageSize))
        .put(
            "Negotiation",
            new JsonObject()
                .put("Timeout", LogSection.text(negotiation.timeout()))
                .put("MaxProposals", negotiation.maxProposals()))
        .put(
            "DialBackoff",
            new JsonObject()
                .put("Base", LogSection.text(dialBackoff.base()))
                .put("Coef", LogSection.text(dialBackoff.coefficient()))
                .put("Max", LogSection.text(dialBackoff.max()))
                .put("MaxAddrs", dialBackoff.capacity()));
  }
}
