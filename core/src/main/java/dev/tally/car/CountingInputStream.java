package dev.tally.car;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes consumed so errors can name archive offsets, and optionally stops at a limit so
 * the reader of a CARv2 payload sees end-of-stream exactly at the end of the data payload.
 */
final class CountingInputStream extends FilterInputStream {
  private long position;
  private long limit = Long.MAX_VALUE;

  CountingInputStream(InputStream in) {
    super(in);
  }

  long position() {
    return position;
  }

  /** Reports end-of-stream once {@code position} reaches {@code limit}. */
  void limitTo(long limit) {
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    if (position >= limit) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      position++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long left = limit - position;
    if (left <= 0) {
      return -1;
    }
    int n = in.read(buf, off, (int) Math.min(len, left));
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, limit - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), limit - position);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
    // Marks would break the position count; markSupported() says so.
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}
