package dev.tally.net.yamux;

/** The stream was reset (RST) by either side, or its session ended before the stream did. */
public final class StreamResetException extends YamuxException {
  private static final long serialVersionUID = 1L;

  public StreamResetException(String message) {
    super(message);
  }
}
