package dev.tally.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Kubo's content-defined {@code rabin-min-avg-max} chunker: a Rabin fingerprint over a 16-byte
 * window with the polynomial go-ipfs uses; a chunk ends where the low log2(avg) bits of the
 * fingerprint are zero, never before {@code min} bytes and never after {@code max} bytes. The
 * fingerprint restarts for every chunk and skips the first {@code min - 16} bytes, as go-ipfs does.
 */
final class RabinChunker implements Chunker {
  static final long POLYNOMIAL = 0x3DF305DFB2A805L;
  static final int WINDOW = 16;
  private static final int DEGREE = 63 - Long.numberOfLeadingZeros(POLYNOMIAL);
  private static final int DEG_SHIFT = DEGREE - 8;
  static final long[] OUT_TABLE = new long[256];
  static final long[] MOD_TABLE = new long[256];

  static {
    for (int b = 0; b < 256; b++) {
      long h = appendByte(0, b);
      for (int i = 0; i < WINDOW - 1; i++) {
        h = appendByte(h, 0);
      }
      OUT_TABLE[b] = h;
      MOD_TABLE[b] = mod(((long) b) << DEGREE) | (((long) b) << DEGREE);
    }
  }

  private final InputStream in;
  private final int min;
  private final int max;
  private final long mask;
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean emitted;

  RabinChunker(InputStream in, int min, int avg, int max) {
    this.in = in;
    this.min = min;
    this.max = max;
    this.mask = (1L << (31 - Integer.numberOfLeadingZeros(avg))) - 1;
    this.buf = new byte[2 * max];
  }

  @Override
  public Optional<byte[]> next() throws IOException {
    fill();
    int avail = end - start;
    if (avail == 0) {
      if (emitted) {
        return Optional.empty();
      }
      emitted = true;
      return Optional.of(new byte[0]);
    }
    emitted = true;
    int cut = avail <= min ? end : findCut(start + Math.min(max, avail));
    byte[] chunk = Arrays.copyOfRange(buf, start, cut);
    start = cut;
    return Optional.of(chunk);
  }

  private int findCut(int limit) {
    long state = 1;
    int idx = start + min - WINDOW;
    // Preheat: the window starts as zeros after a single 1 byte, which slides out last.
    for (int i = 1; i <= WINDOW; i++) {
      if (i == WINDOW) {
        state ^= OUT_TABLE[1];
      }
      state = ((state << 8) | (buf[idx] & 0xff)) ^ MOD_TABLE[(int) (state >>> DEG_SHIFT)];
      idx++;
    }
    while (idx < limit && (state & mask) != 0) {
      state ^= OUT_TABLE[buf[idx - WINDOW] & 0xff];
      state = ((state << 8) | (buf[idx] & 0xff)) ^ MOD_TABLE[(int) (state >>> DEG_SHIFT)];
      idx++;
    }
    return idx;
  }

  private void fill() throws IOException {
    if (eof || end - start >= max) {
      return;
    }
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end - start < max) {
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
        return;
      }
      end += n;
    }
  }

  @Override
  public int maxChunkSize() {
    return max;
  }

  private static long appendByte(long hash, int b) {
    return mod((hash << 8) | b);
  }

  private static long mod(long x) {
    while (x != 0 && 63 - Long.numberOfLeadingZeros(x) >= DEGREE) {
      x ^= POLYNOMIAL << (63 - Long.numberOfLeadingZeros(x) - DEGREE);
    }
    return x;
  }
}
