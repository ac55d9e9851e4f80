package dev.tally.net.ping;

import dev.tally.crypto.PeerId;
import dev.tally.net.Host;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/** The ping behaviour: serves {@code /ipfs/ping/1.0.0} and pings peers on request. */
public final class Ping {
  private final Host host;
  private final PingProtocol protocol;

  public Ping(Host host, SecureRandom random) {
    this.host = host;
    this.protocol = new PingProtocol(random);
  }

  public void start() {
    host.setHandler(PingProtocol.ID, PingProtocol::respond);
  }

  /** Pings {@code peer} {@code count} times on one stream; completes with each round-trip time. */
  public io.vertx.core.Future<List<Duration>> ping(PeerId peer, int count) {
    return host.newStream(peer, PingProtocol.ID).compose(s -> protocol.ping(s, count));
  }
}
