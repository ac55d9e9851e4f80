package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.net.yamux.ResourceScope;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts connections, streams and window memory per peer and for the whole host, and refuses what
 * would exceed {@link ResourceLimits}. Thread-safe: connections on different event loops share it.
 */
public final class ResourceManager {
  private final ResourceLimits limits;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong memory = new AtomicLong();
  private final ConcurrentHashMap<PeerId, PeerUsage> peers = new ConcurrentHashMap<>();

  /** Current use, for monitoring and tests. */
  public record Usage(int connections, int streams, long windowMemory) {}

  private static final class PeerUsage {
    int connections;
    int streams;
  }

  public ResourceManager(ResourceLimits limits) {
    this.limits = limits;
  }

  public ResourceLimits limits() {
    return limits;
  }

  public Usage usage() {
    return new Usage(connections.get(), streams.get(), memory.get());
  }

  /** Reserves a connection slot before the peer is known (accept or dial). */
  boolean reserveConnection() {
    return increment(connections, limits.maxConnections());
  }

  void releaseConnection() {
    connections.decrementAndGet();
  }

  /** Admits an upgraded connection to {@code peer}; its slot is already reserved. */
  boolean admitPeerConnection(PeerId peer) {
    boolean[] ok = {false};
    peers.compute(
        peer,
        (k, u) -> {
          PeerUsage usage = u == null ? new PeerUsage() : u;
          if (usage.connections < limits.maxConnectionsPerPeer()) {
            usage.connections++;
            ok[0] = true;
          }
          return usage.connections == 0 && usage.streams == 0 ? null : usage;
        });
    return ok[0];
  }

  void releasePeerConnection(PeerId peer) {
    peers.computeIfPresent(
        peer,
        (k, u) -> {
          u.connections--;
          return u.connections == 0 && u.streams == 0 ? null : u;
        });
  }

  /** The scope a connection to {@code peer} gives its Yamux session. */
  ResourceScope scope(PeerId peer) {
    return new ResourceScope() {
      @Override
      public boolean reserveStream() {
        if (!increment(streams, limits.maxStreams())) {
          return false;
        }
        boolean[] ok = {false};
        peers.computeIfPresent(
            peer,
            (k, u) -> {
              if (u.streams < limits.maxStreamsPerPeer()) {
                u.streams++;
                ok[0] = true;
              }
              return u;
            });
        if (!ok[0]) {
          streams.decrementAndGet();
        }
        return ok[0];
      }

      @Override
      public void releaseStream() {
        streams.decrementAndGet();
        peers.computeIfPresent(
            peer,
            (k, u) -> {
              u.streams--;
              return u.connections == 0 && u.streams == 0 ? null : u;
            });
      }

      @Override
      public long reserveMemory(long bytes) {
        while (true) {
          long used = memory.get();
          long granted = Math.max(0, Math.min(bytes, limits.maxWindowMemory() - used));
          if (granted == 0 || memory.compareAndSet(used, used + granted)) {
            return granted;
          }
        }
      }

      @Override
      public void releaseMemory(long bytes) {
        memory.addAndGet(-bytes);
      }
    };
  }

  private static boolean increment(AtomicInteger counter, int max) {
    while (true) {
      int n = counter.get();
      if (n >= max) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
