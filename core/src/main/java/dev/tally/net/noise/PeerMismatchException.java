package dev.tally.net.noise;

import dev.tally.crypto.PeerId;

/** The remote proved an identity other than the peer that was dialled. */
public final class PeerMismatchException extends NoiseException {
  private static final long serialVersionUID = 1L;

  private final transient PeerId expected;
  private final transient PeerId actual;

  public PeerMismatchException(PeerId expected, PeerId actual) {
    super("dialled peer " + expected + " but the remote authenticated as " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public PeerId expected() {
    return expected;
  }

  public PeerId actual() {
    return actual;
  }
}
