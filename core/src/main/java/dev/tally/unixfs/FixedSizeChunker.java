package dev.tally.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/** Kubo's {@code size-N}: every chunk is N bytes except the last. */
final class FixedSizeChunker implements Chunker {
  private final InputStream in;
  private final int size;
  private boolean emitted;
  private boolean eof;

  FixedSizeChunker(InputStream in, int size) {
    this.in = in;
    this.size = size;
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    if (eof) {
      return Optional.empty();
    }
    // Read straight into the leaf's own array (readNBytes(int) would stage through small buffers
    // and copy again). A stream that says it holds less than a chunk (a small file) gets an array
    // of that size plus one byte, so tiny files do not each allocate a whole chunk; if the stream
    // held more after all, the array grows to the full chunk and boundaries stay the same.
    int available = in.available();
    int first = available > 0 && available < size ? available + 1 : size;
    byte[] chunk = new byte[first];
    int n = in.readNBytes(chunk, 0, first);
    if (n == first && first < size) {
      chunk = Arrays.copyOf(chunk, size);
      n += in.readNBytes(chunk, n, size - n);
    }
    if (n < size) {
      eof = true;
      if (n == 0 && emitted) {
        return Optional.empty();
      }
      chunk = Arrays.copyOf(chunk, n);
    }
    emitted = true;
    return Optional.of(chunk);
  }
}
