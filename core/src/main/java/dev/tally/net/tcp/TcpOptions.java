package dev.tally.net.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the TCP transport.
 *
 * @param connectTimeout how long a dial may take before it fails (default 10 s)
 * @param tcpNoDelay disable Nagle's algorithm; multiplexed small frames need it (default true)
 * @param writeQueueMaxBytes bytes queued on a socket before {@code writeQueueFull()} reports
 *     back-pressure (default 1 MiB)
 */
public record TcpOptions(Duration connectTimeout, boolean tcpNoDelay, int writeQueueMaxBytes) {
  public static final TcpOptions DEFAULTS = new TcpOptions(Duration.ofSeconds(10), true, 1 << 20);

  public TcpOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (writeQueueMaxBytes <= 0) {
      throw new IllegalArgumentException(
          "writeQueueMaxBytes must be positive: " + writeQueueMaxBytes);
    }
  }

  public TcpOptions withConnectTimeout(Duration d) {
    return new TcpOptions(d, tcpNoDelay, writeQueueMaxBytes);
  }

  public TcpOptions withWriteQueueMaxBytes(int bytes) {
    return new TcpOptions(connectTimeout, tcpNoDelay, bytes);
  }
}
