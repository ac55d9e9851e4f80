package dev.tally.net.yamux;

import java.time.Duration;

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
 */
public record YamuxOptions(
    int maxStreamWindow,
    long maxWindowGrowth,
    int maxStreams,
    int maxFrameLength,
    int writeQueueMaxSize,
    Duration keepAliveInterval,
    Duration pingTimeout,
    Duration streamCloseTimeout) {

  /** The spec's initial per-stream window: 256 KiB. */
  public static final int INITIAL_STREAM_WINDOW = 256 * 1024;

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
        Duration.ofMinutes(5));
  }

  public YamuxOptions withMaxStreamWindow(int bytes) {
    return new YamuxOptions(
        bytes,
        maxWindowGrowth,
        maxStreams,
        maxFrameLength,
        writeQueueMaxSize,
        keepAliveInterval,
        pingTimeout,
        streamCloseTimeout);
  }

  public YamuxOptions withMaxWindowGrowth(long bytes) {
    return new YamuxOptions(
        maxStreamWindow,
        bytes,
        maxStreams,
        maxFrameLength,
        writeQueueMaxSize,
        keepAliveInterval,
        pingTimeout,
        streamCloseTimeout);
  }

  public YamuxOptions withMaxStreams(int count) {
    return new YamuxOptions(
        maxStreamWindow,
        maxWindowGrowth,
        count,
        maxFrameLength,
        writeQueueMaxSize,
        keepAliveInterval,
        pingTimeout,
        streamCloseTimeout);
  }

  public YamuxOptions withKeepAlive(Duration interval, Duration timeout) {
    return new YamuxOptions(
        maxStreamWindow,
        maxWindowGrowth,
        maxStreams,
        maxFrameLength,
        writeQueueMaxSize,
        interval,
        timeout,
        streamCloseTimeout);
  }

  public YamuxOptions withStreamCloseTimeout(Duration timeout) {
    return new YamuxOptions(
        maxStreamWindow,
        maxWindowGrowth,
        maxStreams,
        maxFrameLength,
        writeQueueMaxSize,
        keepAliveInterval,
        pingTimeout,
        timeout);
  }
}
