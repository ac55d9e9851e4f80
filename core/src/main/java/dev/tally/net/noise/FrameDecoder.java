package dev.tally.net.noise;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Splits bytes into Noise frames: a 2-byte big-endian length, then that many bytes. The 16-bit
 * length caps a frame at 65535 bytes, so at most one partial frame plus one read is ever held.
 * Frames are exposed in place ({@link #nextFrame()}) so the cipher reads them without a copy.
 */
final class FrameDecoder {
  static final int MAX_FRAME = 0xffff;

  private byte[] buf = new byte[0];
  private int start;
  private int end;
  private int frameOffset;

  void append(Buffer data) {
    append(data, 0);
  }

  /** Appends {@code data} from index {@code from} on. */
  void append(Buffer data, int from) {
    int n = data.length() - from;
    if (end + n > buf.length) {
      int live = end - start;
      if (live + n <= buf.length) {
        System.arraycopy(buf, start, buf, 0, live);
      } else {
        byte[] grown = new byte[Math.max(live + n, Math.min(2 * buf.length, live + n + MAX_FRAME))];
        System.arraycopy(buf, start, grown, 0, live);
        buf = grown;
      }
      start = 0;
      end = live;
    }
    data.getBytes(from, from + n, buf, end);
    end += n;
  }

  /** Whether part of a frame is held, waiting for the rest. */
  boolean holding() {
    return end > start;
  }

  /**
   * Appends from {@code data[from..]} only what the held partial frame still lacks (its length
   * first, then its body), so the frames after it can be read from {@code data} in place; returns
   * the bytes taken.
   */
  int appendFrameRest(Buffer data, int from) {
    int taken = 0;
    int avail = data.length() - from;
    if (end - start < 2) {
      int n = Math.min(2 - (end - start), avail);
      appendRange(data, from, n);
      taken = n;
      if (end - start < 2) {
        return taken;
      }
    }
    int len = ((buf[start] & 0xff) << 8) | (buf[start + 1] & 0xff);
    int n = Math.min(2 + len - (end - start), avail - taken);
    appendRange(data, from + taken, n);
    return taken + n;
  }

  private void appendRange(Buffer data, int from, int n) {
    if (n > 0) {
      append(data.slice(from, from + n), 0);
    }
  }

  /**
   * Advances to the next complete frame and returns its length, or -1 until more bytes arrive. The
   * frame is {@code array()[frameOffset() .. frameOffset() + length)}, valid until the next call to
   * {@link #append}.
   */
  int nextFrame() {
    int avail = end - start;
    if (avail < 2) {
      return -1;
    }
    int len = ((buf[start] & 0xff) << 8) | (buf[start + 1] & 0xff);
    if (avail < 2 + len) {
      return -1;
    }
    frameOffset = start + 2;
    start += 2 + len;
    if (start == end) {
      start = 0;
      end = 0;
    }
    return len;
  }

  byte[] array() {
    return buf;
  }

  int frameOffset() {
    return frameOffset;
  }

  /** The next complete frame's body as a copy, or null until more bytes arrive. */
  byte[] next() {
    int len = nextFrame();
    return len < 0 ? null : Arrays.copyOfRange(buf, frameOffset, frameOffset + len);
  }

  /** Bytes after the last complete frame returned. */
  Buffer remaining() {
    return Buffer.buffer(Arrays.copyOfRange(buf, start, end));
  }

  static Buffer frame(byte[] body) {
    if (body.length > MAX_FRAME) {
      throw new IllegalArgumentException("Noise frame of " + body.length + " bytes exceeds 65535");
    }
    return Buffer.buffer(body.length + 2).appendUnsignedShort(body.length).appendBytes(body);
  }
}
