package dev.tally.net.host;

import dev.tally.net.identify.IdentifyCodec;
import dev.tally.net.multistream.MultistreamOptions;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.yamux.YamuxOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one host. The daemon reads them from {@code config.json}'s {@code Swarm} section (ADR
 * 034, ADR 038); the agent version is set in code only.
 *
 * @param resources connection, stream and memory limits per peer and for the host; an inbound
 *     connection over them is closed right after accept, a dial over them fails
 * @param maxPeers peers the peer store remembers
 * @param maxAddressesPerPeer addresses remembered per peer (identify may announce more)
 * @param identifyMaxMessageSize largest identify message accepted or sent
 * @param agentVersion what identify announces as our implementation
 * @param yamux the per-connection multiplexer limits (streams, windows, keep-alive)
 * @param connectionManager when to trim connections
 * @param negotiation bounds of each multistream-select negotiation (connection and stream): its
 *     timeout, which also bounds the Noise handshake (a peer that trickles bytes, slowloris, is
 *     closed when it runs out; spec and default: 10 s), and the proposals a responder answers
 * @param dialBackoff how long an address that failed to dial is refused before it is tried again
 * @param tcp the TCP transport's dial timeout, Nagle setting and socket read and write sizes
 */
public record HostOptions(
    ResourceLimits resources,
    int maxPeers,
    int maxAddressesPerPeer,
    int identifyMaxMessageSize,
    String agentVersion,
    YamuxOptions yamux,
    ConnectionManagerOptions connectionManager,
    MultistreamOptions negotiation,
    DialBackoffOptions dialBackoff,
    TcpOptions tcp) {

  /** Our identify agent version. */
  public static final String AGENT_VERSION = "tally/0.1.0";

  public HostOptions {
    Objects.requireNonNull(resources, "resources");
    if (maxPeers < 1 || maxAddressesPerPeer < 1) {
      throw new IllegalArgumentException("peer and address limits must be positive");
    }
    if (identifyMaxMessageSize < 256) {
      throw new IllegalArgumentException(
          "identifyMaxMessageSize " + identifyMaxMessageSize + " is too small for any peer");
    }
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(yamux, "yamux");
    Objects.requireNonNull(connectionManager, "connectionManager");
    Objects.requireNonNull(negotiation, "negotiation");
    Objects.requireNonNull(dialBackoff, "dialBackoff");
    Objects.requireNonNull(tcp, "tcp");
  }

  /** The architecture's defaults: 256 connections, 256 streams per connection. */
  public static HostOptions defaults() {
    return new HostOptions(
        ResourceLimits.defaults(),
        10_000,
        32,
        IdentifyCodec.DEFAULT_MAX_MESSAGE_SIZE,
        AGENT_VERSION,
        YamuxOptions.defaults(),
        ConnectionManagerOptions.defaults(),
        MultistreamOptions.DEFAULTS,
        DialBackoffOptions.defaults(),
        TcpOptions.DEFAULTS);
  }

  public HostOptions withMaxConnections(int n) {
    return withResources(resources.withMaxConnections(n));
  }

  public HostOptions withResources(ResourceLimits limits) {
    return new HostOptions(
        limits,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        yamux,
        connectionManager,
        negotiation,
        dialBackoff,
        tcp);
  }

  public HostOptions withYamux(YamuxOptions options) {
    return new HostOptions(
        resources,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        options,
        connectionManager,
        negotiation,
        dialBackoff,
        tcp);
  }

  public HostOptions withConnectionManager(ConnectionManagerOptions options) {
    return new HostOptions(
        resources,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        yamux,
        options,
        negotiation,
        dialBackoff,
        tcp);
  }

  /** The time allowed for each negotiation and for the Noise handshake. */
  public Duration negotiationTimeout() {
    return negotiation.timeout();
  }

  public HostOptions withNegotiationTimeout(Duration timeout) {
    return withNegotiation(negotiation.withTimeout(timeout));
  }

  public HostOptions withNegotiation(MultistreamOptions options) {
    return new HostOptions(
        resources,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        yamux,
        connectionManager,
        options,
        dialBackoff,
        tcp);
  }

  /** These options with other peer-store and identify bounds. */
  public HostOptions withPeerBounds(int peers, int addressesPerPeer, int identifyMessageSize) {
    return new HostOptions(
        resources,
        peers,
        addressesPerPeer,
        identifyMessageSize,
        agentVersion,
        yamux,
        connectionManager,
        negotiation,
        dialBackoff,
        tcp);
  }

  public HostOptions withDialBackoff(DialBackoffOptions options) {
    return new HostOptions(
        resources,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        yamux,
        connectionManager,
        negotiation,
        options,
        tcp);
  }

  /** These options with another TCP transport's dial timeout, Nagle setting and socket sizes. */
  public HostOptions withTcp(TcpOptions options) {
    return new HostOptions(
        resources,
        maxPeers,
        maxAddressesPerPeer,
        identifyMaxMessageSize,
        agentVersion,
        yamux,
        connectionManager,
        negotiation,
        dialBackoff,
        options);
  }
}
