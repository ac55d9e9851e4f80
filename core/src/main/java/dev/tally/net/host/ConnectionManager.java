package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.net.Connection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the number of connections between the low and high water marks: above the high mark it
 * closes the least useful connections (fewest open streams, then the oldest) until the low mark is
 * reached, sparing protected peers and connections still in their grace period.
 */
public final class ConnectionManager {
  private static final System.Logger LOG = System.getLogger(ConnectionManager.class.getName());

  private final Vertx vertx;
  private final BasicHost host;
  private final ConnectionManagerOptions options;
  private final Set<PeerId> protectedPeers = ConcurrentHashMap.newKeySet();
  private final long timer;

  /**
   * Set while a trim's closes are in flight. Connections open on every event loop, so two loops
   * could each see the same excess and each close it, trimming far below the low water mark; and
   * connections still closing are counted as open until their close completes.
   */
  private final AtomicBoolean trimming = new AtomicBoolean();

  ConnectionManager(Vertx vertx, BasicHost host, ConnectionManagerOptions options) {
    this.vertx = vertx;
    this.host = host;
    this.options = options;
    host.onConnection(c -> trimIfNeeded());
    this.timer = vertx.setPeriodic(options.checkInterval().toMillis(), id -> trimIfNeeded());
  }

  /** Never trims connections to {@code peer} (e.g. bootstrap peers, cluster members). */
  public void protect(PeerId peer) {
    protectedPeers.add(peer);
  }

  public void unprotect(PeerId peer) {
    protectedPeers.remove(peer);
  }

  /**
   * Trims now if above the high water mark; completes with the number of connections closed. While
   * another trim is still closing connections this one closes none: a connection that trim did not
   * count is trimmed at the next check.
   */
  public Future<Integer> trimIfNeeded() {
    if (host.connections().size() <= options.highWater() || !trimming.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    try {
      return trim().onComplete(ar -> trimming.set(false));
    } catch (RuntimeException e) {
      trimming.set(false);
      throw e;
    }
  }

  private Future<Integer> trim() {
    List<Connection> open = host.connections();
    if (open.size() <= options.highWater()) {
      return Future.succeededFuture(0);
    }
    long now = System.nanoTime();
    long grace = options.gracePeriod().toNanos();
    List<HostConnection> candidates = new ArrayList<>();
    for (Connection c : open) {
      HostConnection hc = (HostConnection) c;
      if (!protectedPeers.contains(c.remotePeer()) && now - hc.openedAt() >= grace) {
        candidates.add(hc);
      }
    }
    candidates.sort(
        Comparator.comparingInt(HostConnection::streamCount)
            .thenComparingLong(HostConnection::openedAt));
    int excess = open.size() - options.lowWater();
    List<Future<Void>> closing = new ArrayList<>();
    for (HostConnection c : candidates.subList(0, Math.min(excess, candidates.size()))) {
      LOG.log(Level.DEBUG, "trimming {0}", c);
      closing.add(c.close());
    }
    return Future.join(closing).map(v -> closing.size());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
