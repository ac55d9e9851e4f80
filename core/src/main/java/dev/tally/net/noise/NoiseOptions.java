package dev.tally.net.noise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the Noise security transport.
 *
 * @param handshakeTimeout time allowed for the three handshake messages (default 10 s)
 * @param streamMuxers muxer protocol ids advertised in the handshake's NoiseExtensions, in order of
 *     preference (default none: the muxer is then negotiated with multistream-select)
 */
public record NoiseOptions(Duration handshakeTimeout, List<String> streamMuxers) {
  public static final NoiseOptions DEFAULTS = new NoiseOptions(Duration.ofSeconds(10), List.of());

  public NoiseOptions {
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
    streamMuxers = List.copyOf(streamMuxers);
  }

  public NoiseOptions withHandshakeTimeout(Duration d) {
    return new NoiseOptions(d, streamMuxers);
  }

  public NoiseOptions withStreamMuxers(List<String> muxers) {
    return new NoiseOptions(handshakeTimeout, muxers);
  }
}
