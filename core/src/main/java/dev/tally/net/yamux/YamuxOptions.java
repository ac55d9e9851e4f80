package dev.tally.net.yamux;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Limits and timers of one Yamux session.
 *
 * @param maxStreamWindow the largest receive window a stream auto-tunes up to (go-yamux: 16 MiB);
 *     the initial window is the protocol's fixed 256 KiB
 * @param maxWindowGrowth bytes by which all streams of one session together may grow their windows
 *     beyond the initial 256 KiB each; bounds the memory a peer can make us buffer
 * @param maxStreams open streams per session, both directions together; a SYN over the limit is
 *     answered with RST
 * @param maxFrameLength largest data frame we send (go-yamux: 64 KiB including the header)
 * @param writeQueueMaxSize bytes a stream queues locally while the peer's window is closed before
 *     it reports {@code writeQueueFull()}
 * @param keepAliveInterval how often an idle session pings the peer (also measures the RTT used for
 *     window auto-tuning); zero disables keep-alive
 * @param pingTimeout a keep-alive ping unanswered for this long closes the session
 * @param streamCloseTimeout after a local {@code close()}, how long to wait for the peer's FIN
 *     before resetting the stream
 * @param initialAckBacklog streams we open that the peer has not acknowledged yet, as long as it
 *     has acknowledged none of ours: js-libp2p aborts a connection that receives more than 10
 *     streams before it has set the connection up (its {@code maxEarlyStreams}), and its first ACK
 *     shows it has (ADR 030)
 * @param maxAckBacklog unacknowledged streams we open once the peer has acknowledged one (the
 *     spec's and go-yamux's 256); {@code open()} beyond either backlog waits for an ACK
 * @param streamOpenTimeout how long an {@code open()} held by the ACK backlog may wait before it
 *     fails (go-yamux's stream open timeout: 75 s)
 * @param queuedRetentionRatio a received piece left queued for a reader that is not reading is
 *     copied out of the connection's read array when that array is more than this many times the
 *     piece's length, so bytes waiting for a paused reader keep at most this many times their size
 *     alive (ADR 030)
 */
public record YamuxOptions(
    int maxStreamWindow,
    long maxWindowGrowth,
    int maxStreams,
    int maxFrameLength,
    int writeQueueMaxSize,
    Duration keepAliveInterval,
    Duration pingTimeout,
    Duration streamCloseTimeout,
    int initialAckBacklog,
    int maxAckBacklog,
    Duration streamOpenTimeout,
    int queuedRetentionRatio) {

  /** The spec's initial per-stream window: 256 KiB. */
  public static final int INITIAL_STREAM_WINDOW = 256 * 1024;

  /** Bytes of a frame's header: a data frame of {@code maxFrameLength} is this much longer. */
  public static final int FRAME_HEADER_SIZE = FrameHeader.SIZE;

  public YamuxOptions {
    if (maxStreamWindow < INITIAL_STREAM_WINDOW) {
      throw new IllegalArgumentException(
          "maxStreamWindow " + maxStreamWindow + " is below the initial window 262144");
    }
    if (maxWindowGrowth < 0) {
      throw new IllegalArgumentException("maxWindowGrowth must be >= 0, got " + maxWindowGrowth);
    }
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be positive, got " + maxStreams);
    }
    if (maxFrameLength < 1) {
      throw new IllegalArgumentException("maxFrameLength must be positive, got " + maxFrameLength);
    }
    if (writeQueueMaxSize < 1) {
      throw new IllegalArgumentException(
          "writeQueueMaxSize must be positive, got " + writeQueueMaxSize);
    }
    if (keepAliveInterval.isNegative() || pingTimeout.isNegative() || pingTimeout.isZero()) {
      throw new IllegalArgumentException("keepAliveInterval must be >= 0 and pingTimeout > 0");
    }
    if (streamCloseTimeout.isNegative() || streamCloseTimeout.isZero()) {
      throw new IllegalArgumentException("streamCloseTimeout must be positive");
    }
    if (initialAckBacklog < 1 || maxAckBacklog < initialAckBacklog) {
      throw new IllegalArgumentException(
          "ACK backlogs must satisfy 1 <= initialAckBacklog <= maxAckBacklog, got "
              + initialAckBacklog
              + " and "
              + maxAckBacklog);
    }
    if (streamOpenTimeout.isNegative() || streamOpenTimeout.isZero()) {
      throw new IllegalArgumentException("streamOpenTimeout must be positive");
    }
    if (queuedRetentionRatio < 1) {
      throw new IllegalArgumentException(
          "queuedRetentionRatio must be >= 1, got " + queuedRetentionRatio);
    }
  }

  /** go-yamux's defaults and the architecture's 256 streams per connection. */
  public static YamuxOptions defaults() {
    return new YamuxOptions(
        16 * 1024 * 1024,
        64L * 1024 * 1024,
        256,
        64 * 1024 - FrameHeader.SIZE,
        64 * 1024,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        10,
        256,
        Duration.ofSeconds(75),
        2);
  }

  public YamuxOptions withMaxStreamWindow(int bytes) {
    return edit(e -> e.maxStreamWindow = bytes);
  }

  public YamuxOptions withMaxWindowGrowth(long bytes) {
    return edit(e -> e.maxWindowGrowth = bytes);
  }

  public YamuxOptions withMaxStreams(int count) {
    return edit(e -> e.maxStreams = count);
  }

  public YamuxOptions withKeepAlive(Duration interval, Duration timeout) {
    return edit(
        e -> {
          e.keepAliveInterval = interval;
          e.pingTimeout = timeout;
        });
  }

  public YamuxOptions withStreamCloseTimeout(Duration timeout) {
    return edit(e -> e.streamCloseTimeout = timeout);
  }

  /** Unacknowledged outbound streams before and after the peer's first ACK. */
  public YamuxOptions withAckBacklog(int initial, int max) {
    return edit(
        e -> {
          e.initialAckBacklog = initial;
          e.maxAckBacklog = max;
        });
  }

  public YamuxOptions withStreamOpenTimeout(Duration timeout) {
    return edit(e -> e.streamOpenTimeout = timeout);
  }

  public YamuxOptions withQueuedRetentionRatio(int ratio) {
    return edit(e -> e.queuedRetentionRatio = ratio);
  }

  /** A copy with some fields changed; the canonical constructor validates the result. */
  private YamuxOptions edit(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The record's fields, mutable, for the {@code with} methods. */
  private static final class Fields {
    int maxStreamWindow;
    long maxWindowGrowth;
    int maxStreams;
    int maxFrameLength;
    int writeQueueMaxSize;
    Duration keepAliveInterval;
    Duration pingTimeout;
    Duration streamCloseTimeout;
    int initialAckBacklog;
    int maxAckBacklog;
    Duration streamOpenTimeout;
    int queuedRetentionRatio;

    Fields(YamuxOptions o) {
      maxStreamWindow = o.maxStreamWindow;
      maxWindowGrowth = o.maxWindowGrowth;
      maxStreams = o.maxStreams;
      maxFrameLength = o.maxFrameLength;
      writeQueueMaxSize = o.writeQueueMaxSize;
      keepAliveInterval = o.keepAliveInterval;
      pingTimeout = o.pingTimeout;
      streamCloseTimeout = o.streamCloseTimeout;
      initialAckBacklog = o.initialAckBacklog;
      maxAckBacklog = o.maxAckBacklog;
      streamOpenTimeout = o.streamOpenTimeout;
      queuedRetentionRatio = o.queuedRetentionRatio;
    }

    YamuxOptions build() {
      return new YamuxOptions(
          maxStreamWindow,
          maxWindowGrowth,
          maxStreams,
          maxFrameLength,
          writeQueueMaxSize,
          keepAliveInterval,
          pingTimeout,
          streamCloseTimeout,
          initialAckBacklog,
          maxAckBacklog,
          streamOpenTimeout,
          queuedRetentionRatio);
    }
  }
}
