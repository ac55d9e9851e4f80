package dev.tally.net.host;

/**
 * Host-wide and per-peer limits the resource manager enforces. Work over a limit is refused the
 * protocol's way (an inbound stream gets RST, a connection is closed, a dial or open fails), never
 * by running out of memory.
 *
 * @param maxConnections open connections, both directions
 * @param maxConnectionsPerPeer open connections to one peer
 * @param maxStreams open streams over all connections
 * @param maxStreamsPerPeer open streams to one peer over all its connections
 * @param maxWindowMemory bytes of Yamux receive windows over all connections: each open stream's
 *     initial 256 KiB, counted from its SYN (a peer can fill it before the stream's protocol is
 *     negotiated), plus auto-tuned growth; the buffer memory peers can make us hold. A stream whose
 *     initial window does not fit is refused (RST, or a failed open)
 */
public record ResourceLimits(
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxStreams,
    int maxStreamsPerPeer,
    long maxWindowMemory) {

  public ResourceLimits {
    if (maxConnections < 1
        || maxConnectionsPerPeer < 1
        || maxStreams < 1
        || maxStreamsPerPeer < 1
        || maxWindowMemory < 0) {
      throw new IllegalArgumentException("resource limits must be positive: " + this);
    }
  }

  /**
   * 256 connections (8 per peer), 16,384 streams (1,024 per peer), 1 GiB of receive windows (4,096
   * streams at their initial window, fewer as windows grow).
   */
  public static ResourceLimits defaults() {
    return new ResourceLimits(256, 8, 16_384, 1_024, 1024L * 1024 * 1024);
  }

  public ResourceLimits withMaxConnections(int n) {
    return new ResourceLimits(
        n, maxConnectionsPerPeer, maxStreams, maxStreamsPerPeer, maxWindowMemory);
  }

  public ResourceLimits withMaxStreamsPerPeer(int n) {
    return new ResourceLimits(
        maxConnections, maxConnectionsPerPeer, maxStreams, n, maxWindowMemory);
  }

  public ResourceLimits withMaxWindowMemory(long bytes) {
    return new ResourceLimits(
        maxConnections, maxConnectionsPerPeer, maxStreams, maxStreamsPerPeer, bytes);
  }
}
