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
 * @param readMaxBytes the largest single read from a socket (default 256 KiB; Netty's own default
 *     is 64 KiB). Larger reads cost fewer syscalls and event-loop tasks per byte, and let a whole
 *     65537-byte Noise frame arrive in one read, so it is decrypted without being reassembled.
 */
public record TcpOptions(
    Duration connectTimeout, boolean tcpNoDelay, int writeQueueMaxBytes, int readMaxBytes) {
  public static final TcpOptions DEFAULTS =
      new TcpOptions(Duration.ofSeconds(10), true, 1 << 20, 256 * 1024);

  public TcpOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (writeQueueMaxBytes <= 0) {
      throw new IllegalArgumentException(
          "writeQueueMaxBytes must be positive: " + writeQueueMaxBytes);
    }
    if (readMaxBytes < 1024) {
      throw new IllegalArgumentException("readMaxBytes must be at least 1024: " + readMaxBytes);
    }
  }

  public TcpOptions withConnectTimeout(Duration d) {
    return new TcpOptions(d, tcpNoDelay, writeQueueMaxBytes, readMaxBytes);
  }

  public TcpOptions withWriteQueueMaxBytes(int bytes) {
    return new TcpOptions(connectTimeout, tcpNoDelay, bytes, readMaxBytes);
  }

  public TcpOptions withReadMaxBytes(int bytes) {
    return new TcpOptions(connectTimeout, tcpNoDelay, writeQueueMaxBytes, bytes);
  }
}
