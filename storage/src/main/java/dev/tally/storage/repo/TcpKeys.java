package dev.tally.storage.repo;

import dev.tally.net.tcp.TcpOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The config's {@code Swarm.Tcp} keys: the TCP transport's dial timeout, Nagle setting and socket
 * read and write sizes (ADR 045). Kubo has no such keys (its {@code Swarm.Transports.Network.TCP}
 * only turns the transport on or off, and go-libp2p fixes these in code), so the names are ours,
 * {@code WriteQueueMaxSize} as in {@code Swarm.Yamux}.
 *
 * <pre>{@code
 * "Tcp": {
 *   "DialTimeout": "10s",           // a TCP connect that takes longer fails
 *   "NoDelay": true,                // TCP_NODELAY: small multiplexed frames leave at once
 *   "WriteQueueMaxSize": 1048576,   // bytes queued on a socket before its writers wait
 *   "ReadMaxSize": 262144           // the largest single read from a socket
 * }
 * }</pre>
 */
final class TcpKeys {
  static final String SECTION = "Tcp";
  private static final String P = SwarmSection.PREFIX + SECTION + ".";

  private TcpKeys() {}

  static TcpOptions parse(JsonObject tcp) {
    LogSection.rejectUnknown(
        tcp, Set.of("DialTimeout", "NoDelay", "WriteQueueMaxSize", "ReadMaxSize"), P);
    TcpOptions d = TcpOptions.DEFAULTS;
    return new TcpOptions(
        // Under 1 s a loopback dial on a loaded machine could fail; past 5 m a dead address holds
        // a dial (and what waits on it) longer than any peer waits for us.
        Knobs.duration(
            tcp,
            P,
            "DialTimeout",
            d.connectTimeout(),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5)),
        Knobs.flag(tcp, P, "NoDelay", d.tcpNoDelay()),
        // At least one full Noise frame (64 KiB + 17) can queue without the writer waiting.
        Knobs.intCount(tcp, P, "WriteQueueMaxSize", d.writeQueueMaxBytes(), 128 * 1024, 1 << 30),
        // Netty's adaptive reads start at 16 KiB, so the largest read is at least that.
        Knobs.intCount(tcp, P, "ReadMaxSize", d.readMaxBytes(), 16 * 1024, 16 << 20));
  }

  static JsonObject toJson(TcpOptions o) {
    return new JsonObject()
        .put("DialTimeout", LogSection.text(o.connectTimeout()))
        .put("NoDelay", o.tcpNoDelay())
        .put("WriteQueueMaxSize", o.writeQueueMaxBytes())
        .put("ReadMaxSize", o.readMaxBytes());
  }
}
