package dev.tally.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/** Kubo's {@code size-N}: every chunk is N bytes except the last. */
final class FixedSizeChunker implements Chunker {
  private final InputStream in;
  private final int size;
  private final int before;
  private final int after;
  private boolean emitted;
  private boolean eof;

  FixedSizeChunker(InputStream in, int size) {
    this(in, size, 0, 0);
  }

  /**
   * A chunker that reads each chunk into an array with {@code before} bytes of room in front of it
   * and {@code after} behind it, so the leaf built from it can be framed in place.
   */
  FixedSizeChunker(InputStream in, int size, int before, int after) {
    if (before < 0 || after < 0) {
      throw new IllegalArgumentException("negative room around a chunk");
    }
    this.in = in;
    this.size = size;
    this.before = before;
    this.after = after;
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    return nextChunk().map(Chunk::bytes);
  }

  /** The next chunk in an array of its own (with this chunker's room around it), or empty. */
  Optional<Chunk> nextChunk() throws IOException {
    if (eof) {
      return Optional.empty();
    }
    // Read straight into the leaf's own array (readNBytes(int) would stage through small buffers
    // and copy again). A stream that says it holds less than a chunk (a small file) gets an array
    // of that size plus one byte, so tiny files do not each allocate a whole chunk; if the stream
    // held more after all, the array grows to the full chunk and boundaries stay the same.
    int available = in.available();
    int first = available > 0 && available < size ? available + 1 : size;
    byte[] array = new byte[before + first + after];
    int n = in.readNBytes(array, before, first);
    if (n == first && first < size) {
      array = Arrays.copyOf(array, before + size + after);
      n += in.readNBytes(array, before + n, size - n);
    }
    if (n < size) {
      eof = true;
      if (n == 0 && emitted) {
        return Optional.empty();
      }
    }
    emitted = true;
    return Optional.of(new Chunk(array, before, n));
  }
}
