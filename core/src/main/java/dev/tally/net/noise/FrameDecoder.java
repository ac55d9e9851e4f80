package dev.tally.net.noise;

import io.vertx.core.buffer.Buffer;

/**
 * Splits bytes into Noise frames: a 2-byte big-endian length, then that many bytes. The 16-bit
 * length caps a frame at 65535 bytes, so at most one partial frame plus one read is ever held.
 */
final class FrameDecoder {
  static final int MAX_FRAME = 0xffff;

  private Buffer pending = Buffer.buffer();
  private int pos;

  void append(Buffer data) {
    if (pos == pending.length()) {
      pending = data.copy();
      pos = 0;
      return;
    }
    if (pos > 0) {
      pending = pending.getBuffer(pos, pending.length());
      pos = 0;
    }
    pending.appendBuffer(data);
  }

  /** The next complete frame's body, or null until more bytes arrive. */
  byte[] next() {
    int avail = pending.length() - pos;
    if (avail < 2) {
      return null;
    }
    int len = pending.getUnsignedShort(pos);
    if (avail < 2 + len) {
      return null;
    }
    byte[] frame = pending.getBytes(pos + 2, pos + 2 + len);
    pos += 2 + len;
    return frame;
  }

  /** Bytes after the last complete frame returned. */
  Buffer remaining() {
    return pending.getBuffer(pos, pending.length());
  }

  static Buffer frame(byte[] body) {
    if (body.length > MAX_FRAME) {
      throw new IllegalArgumentException("Noise frame of " + body.length + " bytes exceeds 65535");
    }
    return Buffer.buffer(body.length + 2).appendUnsignedShort(body.length).appendBytes(body);
  }
}
