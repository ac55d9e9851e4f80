package dev.tally.http;

/**
 * Bounds one HTTP server enforces so that many or slow clients cannot exhaust the node.
 *
 * @param maxConnections open connections beyond this are closed on accept
 * @param maxConcurrentRequests requests in progress beyond this get 503 Service Unavailable
 * @param idleTimeoutSeconds a connection with no traffic in either direction for this long is
 *     closed
 * @param maxBufferedBody largest request body read into memory (a {@code block/put}, {@code
 *     dag/put}); streamed uploads ({@code add}, {@code dag/import}) are not bound by it
 * @param maxUriLength longest request line URI accepted (a longer one gets 414)
 */
public record HttpLimits(
    int maxConnections,
    int maxConcurrentRequests,
    int idleTimeoutSeconds,
    int maxBufferedBody,
    int maxUriLength) {

  public HttpLimits {
    if (maxConnections < 1
        || maxConcurrentRequests < 1
        || idleTimeoutSeconds < 1
        || maxBufferedBody < 1
        || maxUriLength < 64) {
      throw new IllegalArgumentException(
          "HTTP limits must be positive (and the URI limit at least 64): " + this);
    }
  }

  /**
   * 256 connections (as the swarm), 64 requests in flight, 60 s idle, 4 MiB buffered bodies (a 2
   * MiB block in multipart framing fits), 8 KiB URIs (Netty's default request line limit is 4 KiB;
   * long gateway paths are rejected with 400 by the gateway before that matters).
   */
  public static HttpLimits defaults() {
    return new HttpLimits(256, 64, 60, 4 << 20, 8192);
  }
}
