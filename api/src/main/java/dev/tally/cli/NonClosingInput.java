package dev.tally.cli;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Lets a command wrap stdin in closeable readers without closing the process's stdin. */
final class NonClosingInput extends FilterInputStream {
  NonClosingInput(InputStream in) {
    super(in);
  }

  @Override
  public void close() {
    // stdin belongs to the process, not to the command
  }
}
