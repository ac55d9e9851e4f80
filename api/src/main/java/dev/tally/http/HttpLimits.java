package dev.tally.http;

import dev.tally.storage.repo.HttpSection;
import java.time.Duration;

/**
 * Bounds one HTTP server enforces so that many or slow clients cannot exhaust the node.
 *
 * @param maxConnections open connections; one beyond it closes the oldest connection still waiting
 *     for a request head (a slow or idle client), or is itself closed when every connection is busy
 * @param maxConcurrentRequests requests in progress beyond this get 503 Service Unavailable
 * @param idleTimeoutSeconds a connection with no traffic in either direction for this long is
 *     closed
 * @param maxBufferedBody largest request body read into memory (a {@code block/put}, {@code
 *     dag/put}); streamed uploads ({@code add}, {@code dag/import}) are not bound by it
 * @param maxUriLength longest request line URI the HTTP decoder reads (the gateway answers a longer
 *     one with 400, the API with 414)
 * @param readHeaderTimeout how long a connection may take to send a complete request head after it
 *     opens or after its previous answer, however slowly it trickles bytes
 * @param uploadReadAhead bytes of a streamed upload received ahead of the importer before the
 *     request is paused (the client is then held back by TCP flow control)
 * @param uploadBudget bytes all streamed uploads of the server may hold ahead of their importers
 *     together ({@link UploadBudget}); at least a minimal window per concurrent request
 */
public record HttpLimits(
    int maxConnections,
    int maxConcurrentRequests,
    int idleTimeoutSeconds,
    int maxBufferedBody,
    int maxUriLength,
    Duration readHeaderTimeout,
    int uploadReadAhead,
    long uploadBudget) {

  /**
   * The largest heap-sized read-ahead. A paused upload's TCP window closes, and reopening it costs
   * the event loop and the client a round of window updates: at 4 MiB (resuming at 2) a 1 GiB
   * upload went to a zero window ~2,400 times and its event loop spent 0.49 CPU s; at 16 MiB ~4
   * times fewer, and 0.35 CPU s (ADR 037).
   */
  private static final int MAX_AUTO_READ_AHEAD = 16 << 20;

  /**
   * The read-ahead for a daemon whose config does not set it: 1/256 of the heap, so the default 64
   * concurrent uploads queue at most a quarter of it, between 1 MiB and 16 MiB.
   */
  public static int autoUploadReadAhead() {
    long share = Runtime.getRuntime().maxMemory() / 256;
    return (int) Math.max(1 << 20, Math.min(MAX_AUTO_READ_AHEAD, share));
  }

  /**
   * The upload budget for a daemon whose config does not set it: four read-aheads (64 MiB at the 16
   * MiB default), so an upload alone keeps the whole read-ahead it needs for its speed (ADR 037)
   * and 64 uploads hold 1/64 of the heap instead of a quarter (ADR 041); at least one read-ahead
   * plus a window for each other upload, so an upload alone never gets less.
   */
  public static long autoUploadBudget(int uploadReadAhead, int maxConcurrentRequests) {
    return Math.max(
        4L * uploadReadAhead,
        uploadReadAhead + (long) maxConcurrentRequests * HttpSection.MIN_UPLOAD_WINDOW);
  }

  /** Limits with the heap-sized upload read-ahead and the upload budget sized from it. */
  public HttpLimits(
      int maxConnections,
      int maxConcurrentRequests,
      int idleTimeoutSeconds,
      int maxBufferedBody,
      int maxUriLength,
      Duration readHeaderTimeout) {
    this(
        maxConnections,
        maxConcurrentRequests,
        idleTimeoutSeconds,
        maxBufferedBody,
        maxUriLength,
        readHeaderTimeout,
        autoUploadReadAhead(),
        autoUploadBudget(autoUploadReadAhead(), maxConcurrentRequests));
  }

  public HttpLimits {
    if (maxConnections < 1
        || maxConcurrentRequests < 1
        || idleTimeoutSeconds < 1
        || maxBufferedBody < 1
        || maxUriLength < 64
        || readHeaderTimeout.toMillis() < 1
        || uploadReadAhead < 1) {
      throw new IllegalArgumentException(
          "HTTP limits must be positive (and the URI limit at least 64): " + this);
    }
    if (uploadBudget < (long) maxConcurrentRequests * HttpSection.MIN_UPLOAD_WINDOW) {
      throw new IllegalArgumentException(
          "HTTP.UploadBudget "
              + uploadBudget
              + " must cover a "
              + HttpSection.MIN_UPLOAD_WINDOW
              + "-byte window for each of HTTP.MaxConcurrentRequests "
              + maxConcurrentRequests
              + " uploads");
    }
  }

  /** Limits with the default request head timeout. */
  public HttpLimits(
      int maxConnections,
      int maxConcurrentRequests,
      int idleTimeoutSeconds,
      int maxBufferedBody,
      int maxUriLength) {
    this(
        maxConnections,
        maxConcurrentRequests,
        idleTimeoutSeconds,
        maxBufferedBody,
        maxUriLength,
        HttpSection.DEFAULT_READ_HEADER_TIMEOUT);
  }

  /**
   * The config's {@code HTTP} section, 4 MiB buffered bodies (a 2 MiB block in multipart framing
   * fits) and 8 KiB URIs (twice Netty's default; the gateway takes paths up to 4096 characters).
   */
  public static HttpLimits of(HttpSection http) {
    int readAhead = http.uploadReadAhead().orElseGet(HttpLimits::autoUploadReadAhead);
    return new HttpLimits(
        http.maxConnections(),
        http.maxConcurrentRequests(),
        (int) Math.max(1, http.idleTimeout().toSeconds()),
        4 << 20,
        8192,
        http.readHeaderTimeout(),
        readAhead,
        http.uploadBudget()
            .orElseGet(() -> autoUploadBudget(readAhead, http.maxConcurrentRequests())));
  }

  /** {@link #of} the default {@code HTTP} section. */
  public static HttpLimits defaults() {
    return of(HttpSection.defaults());
  }
}
