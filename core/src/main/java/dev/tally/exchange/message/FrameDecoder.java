package dev.tally.exchange.message;

import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Splits a byte stream into uvarint-length-prefixed frames. A frame announced longer than the limit
 * is refused before any of it is buffered, so the decoder holds at most one frame plus what the
 * stream delivered past it. Not thread-safe: one stream, one context.
 */
public final class FrameDecoder {
  private final int maxFrameLength;
  private Buffer pending = Buffer.buffer();
  private int pos;

  public FrameDecoder(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  public void feed(Buffer data) {
    if (pos > 0 && pos == pending.length()) {
      pending = Buffer.buffer();
      pos = 0;
    } else if (pos > 64 * 1024) {
      pending = pending.getBuffer(pos, pending.length());
      pos = 0;
    }
    pending.appendBuffer(data);
  }

  /** Bytes received and not yet returned as frames. */
  public int buffered() {
    return pending.length() - pos;
  }

  /**
   * The next complete frame's body, or empty if more bytes are needed.
   *
   * @throws MessageException on a malformed or oversized length prefix
   */
  public Optional<byte[]> next() {
    int available = pending.length() - pos;
    int headerEnd = -1;
    for (int i = 0; i < Math.min(available, Varint.MAX_LENGTH); i++) {
      if ((pending.getByte(pos + i) & 0x80) == 0) {
        headerEnd = i + 1;
        break;
      }
    }
    if (headerEnd < 0) {
      if (available >= Varint.MAX_LENGTH) {
        throw new MessageException("Bitswap frame length prefix is longer than a uvarint may be");
      }
      return Optional.empty();
    }
    long len;
    try {
      len = Varint.decode(pending.getBytes(pos, pos + headerEnd), 0, headerEnd);
    } catch (MultiformatException e) {
      throw new MessageException("malformed Bitswap frame length: " + e.getMessage(), e);
    }
    if (len > maxFrameLength) {
      throw new MessageException(
          "Bitswap frame of " + len + " bytes exceeds the " + maxFrameLength + "-byte limit");
    }
    if (available - headerEnd < len) {
      return Optional.empty();
    }
    int start = pos + headerEnd;
    pos = start + (int) len;
    return Optional.of(pending.getBytes(start, pos));
  }
}
