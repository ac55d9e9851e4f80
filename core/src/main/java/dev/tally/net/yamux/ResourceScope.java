package dev.tally.net.yamux;

/**
 * Limits beyond one session that a session must respect: streams and receive-window memory shared
 * with other connections (per peer, global). The host's resource manager provides one per
 * connection. Called on the session's context; implementations must be thread-safe if shared.
 */
public interface ResourceScope {
  /** Admits one more stream, or refuses (the session then answers RST or fails the open). */
  boolean reserveStream();

  void releaseStream();

  /**
   * Reserves up to {@code bytes} of receive-window memory (a new stream's whole initial window, or
   * auto-tuned growth); returns what was granted. A stream is refused unless its initial window is
   * granted in full.
   */
  long reserveMemory(long bytes);

  void releaseMemory(long bytes);

  /** No limits beyond the session's own options. */
  static ResourceScope unlimited() {
    return new ResourceScope() {
      @Override
      public boolean reserveStream() {
        return true;
      }

      @Override
      public void releaseStream() {}

      @Override
      public long reserveMemory(long bytes) {
        return bytes;
      }

      @Override
      public void releaseMemory(long bytes) {}
    };
  }
}
