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
 * ipfs-unixfs-importer runs the same algorithm with another polynomial (0x3DA3358B4DC173), so its
 * rabin CIDs differ from Kubo's; a test pins our cuts to its output under its polynomial.
 */
final class RabinChunker implements Chunker {
  /** go-ipfs's polynomial ({@code IpfsRabinPoly}, 17437180132763653). */
  static final long KUBO_POLYNOMIAL = 0x3DF305DFB2A805L;

  static final int WINDOW = 16;

  /** Lookup tables for one irreducible polynomial, computed as restic/go-ipfs compute them. */
  static final class Tables {
    final long[] out = new long[256];
    final long[] mod = new long[256];
    final int degShift;
    private final long polynomial;
    private final int degree;

    Tables(long polynomial) {
      this.polynomial = polynomial;
      this.degree = 63 - Long.numberOfLeadingZeros(polynomial);
      this.degShift = degree - 8;
      for (int b = 0; b < 256; b++) {
        // out[b]: fingerprint of b followed by WINDOW-1 zero bytes, XORed in to slide b out.
        long h = appendByte(0, b);
        for (int i = 0; i < WINDOW - 1; i++) {
          h = appendByte(h, 0);
        }
        out[b] = h;
        // mod[b]: reduces the 8 bits above the degree and cancels them in one XOR.
        mod[b] = reduce(((long) b) << degree) | (((long) b) << degree);
      }
    }

    private long appendByte(long hash, int b) {
      return reduce((hash << 8) | b);
    }

    private long reduce(long x) {
      while (x != 0 && 63 - Long.numberOfLeadingZeros(x) >= degree) {
        x ^= polynomial << (63 - Long.numberOfLeadingZeros(x) - degree);
      }
      return x;
    }
  }

  static final Tables KUBO = new Tables(KUBO_POLYNOMIAL);

  private final InputStream in;
  private final Tables tables;
  private final int min;
  private final int max;
  private final long mask;
  private final byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private boolean emitted;

  RabinChunker(InputStream in, int min, int avg, int max) {
    this(in, min, avg, max, KUBO);
  }

  RabinChunker(InputStream in, int min, int avg, int max, Tables tables) {
    this.in = in;
    this.tables = tables;
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
    long[] out = tables.out;
    long[] mod = tables.mod;
    int shift = tables.degShift;
    long state = 1;
    int idx = start + min - WINDOW;
    // Preheat: the window starts as zeros after a single 1 byte, which slides out last.
    for (int i = 1; i <= WINDOW; i++) {
      if (i == WINDOW) {
        state ^= out[1];
      }
      state = ((state << 8) | (buf[idx] & 0xff)) ^ mod[(int) (state >>> shift)];
      idx++;
    }
    while (idx < limit && (state & mask) != 0) {
      state ^= out[buf[idx - WINDOW] & 0xff];
      state = ((state << 8) | (buf[idx] & 0xff)) ^ mod[(int) (state >>> shift)];
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
}
