package dev.tally.daemon;

import java.io.IOException;
import java.io.InputStream;

/** Reads an HTTP answer's status line off a raw socket, as the daemon tests' raw clients do. */
final class StatusLine {
  private StatusLine() {}

  /** The characters up to the first CR (or the end of the stream). */
  static String read(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\r') {
      line.append((char) c);
    }
    return line.toString();
  }
}
