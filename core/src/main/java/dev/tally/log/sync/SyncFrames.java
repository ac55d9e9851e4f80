package dev.tally.log.sync;

import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Splits a stream into uvarint-length-prefixed frames, refusing a frame announced over the limit
 * before buffering any of it. One stream, one context: not thread-safe.
 */
final class SyncFrames {
  private final int maxFrame;
  private Buffer pending = Buffer.buffer();
  private int pos;

  SyncFrames(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  void feed(Buffer data) {
    if (pos == pending.length()) {
      pending = Buffer.buffer();
      pos = 0;
    } else if (pos > 1 << 16) {
      pending = pending.getBuffer(pos, pending.length());
      pos = 0;
    }
    pending.appendBuffer(data);
  }

  /** The next whole frame, or empty until more bytes arrive. */
  Optional<byte[]> next() {
    int available = pending.length() - pos;
    int header = -1;
    for (int i = 0; i < Math.min(available, Varint.MAX_LENGTH); i++) {
      if ((pending.getByte(pos + i) & 0x80) == 0) {
        header = i + 1;
        break;
      }
    }
    if (header < 0) {
      if (available >= Varint.MAX_LENGTH) {
        throw new SyncException("frame length prefix is longer than a uvarint may be");
      }
      return Optional.empty();
    }
    long len;
    try {
      len = Varint.decode(pending.getBytes(pos, pos + header), 0, header);
    } catch (MultiformatException e) {
      throw new SyncException("malformed frame length: " + e.getMessage(), e);
    }
    if (len > maxFrame) {
      throw new SyncException("frame of " + len + " bytes exceeds the " + maxFrame + "-byte limit");
    }
    if (available - header < len) {
      return Optional.empty();
    }
    int start = pos + header;
    pos = start + (int) len;
    return Optional.of(pending.getBytes(start, pos));
  }
}
