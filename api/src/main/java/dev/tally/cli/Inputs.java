package dev.tally.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads command inputs (a file, or stdin for "-" or no argument) with a size ceiling. */
final class Inputs {
  private Inputs() {}

  /** Reads at most {@code limit} bytes; more is an error naming the source and the limit. */
  static byte[] readBounded(String source, int limit, String hint) throws IOException {
    try (InputStream in =
        "-".equals(source)
            ? new NonClosingInput(Io.current().in)
            : Files.newInputStream(Path.of(source))) {
      byte[] data = in.readNBytes(limit);
      if (data.length == limit && in.read() != -1) {
        throw new IllegalArgumentException(
            (source.equals("-") ? "stdin" : source) + " is over " + limit + " bytes; " + hint);
      }
      return data;
    }
  }
}
