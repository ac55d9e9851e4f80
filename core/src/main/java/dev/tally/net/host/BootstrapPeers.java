package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Host;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the host connected to its configured bootstrap peers, as Kubo's bootstrap loop does: dials
 * them at start, then every {@code interval} redials each one with a {@code /p2p} id that is not
 * connected. The host's dial back-off spaces out retries of a peer that keeps failing, so an
 * unreachable bootstrap peer costs one refused dial per back-off period, not one per tick.
 * Addresses without {@code /p2p} are dialled once at start (there is no peer to check for).
 */
public final class BootstrapPeers {
  private static final System.Logger LOG = System.getLogger(BootstrapPeers.class.getName());

  private final Vertx vertx;
  private final Host host;
  private final List<Multiaddr> peers;
  private final Duration interval;
  private long timer = -1;

  public BootstrapPeers(Vertx vertx, Host host, List<Multiaddr> peers, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("bootstrap interval must be positive: " + interval);
    }
    this.vertx = vertx;
    this.host = host;
    this.peers = List.copyOf(peers);
    this.interval = interval;
  }

  /** Dials every bootstrap peer now and starts the reconnect loop. */
  public synchronized BootstrapPeers start() {
    if (timer < 0 && !peers.isEmpty()) {
      peers.forEach(this::dial);
      timer = vertx.setPeriodic(interval.toMillis(), id -> reconnect());
    }
    return this;
  }

  /** Stops redialling; open connections stay. */
  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void reconnect() {
    for (Multiaddr addr : peers) {
      Optional<PeerId> peer = peerId(addr);
      if (peer.isPresent()
          && host.connections().stream().noneMatch(c -> c.remotePeer().equals(peer.get()))) {
        dial(addr);
      }
    }
  }

  private void dial(Multiaddr addr) {
    host.dial(addr)
        .onFailure(
            e -> LOG.log(Level.INFO, "bootstrap peer {0} unreachable: {1}", addr, e.getMessage()));
  }

  private static Optional<PeerId> peerId(Multiaddr addr) {
    try {
      return addr.peerId().map(PeerId::of);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
