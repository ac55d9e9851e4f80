package dev.tally.net.yamux;

import io.vertx.core.buffer.Buffer;

/**
 * The 12-byte Yamux frame header: version, type, flags, stream id, length (big endian). For data
 * frames {@code length} counts the payload; for window updates it is the delta, for pings the
 * opaque value and for go-away the error code.
 */
record FrameHeader(int type, int flags, int streamId, long length) {
  static final int SIZE = 12;
  static final int VERSION = 0;

  static final int TYPE_DATA = 0;
  static final int TYPE_WINDOW_UPDATE = 1;
  static final int TYPE_PING = 2;
  static final int TYPE_GO_AWAY = 3;

  static final int FLAG_SYN = 1;
  static final int FLAG_ACK = 2;
  static final int FLAG_FIN = 4;
  static final int FLAG_RST = 8;

  static final int GO_AWAY_NORMAL = 0;
  static final int GO_AWAY_PROTOCOL_ERROR = 1;
  static final int GO_AWAY_INTERNAL_ERROR = 2;

  FrameHeader {
    if (type < TYPE_DATA || type > TYPE_GO_AWAY) {
      throw new YamuxException("unknown Yamux frame type " + type + ", expected 0..3");
    }
    if (flags < 0 || flags > 0xffff) {
      throw new IllegalArgumentException("flags out of 16-bit range: " + flags);
    }
    if (length < 0 || length > 0xffff_ffffL) {
      throw new IllegalArgumentException("length out of 32-bit range: " + length);
    }
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Unsigned stream id as a long, for messages. */
  long unsignedStreamId() {
    return Integer.toUnsignedLong(streamId);
  }

  /** Writes this header into {@code dst} (which grows as needed). */
  Buffer appendTo(Buffer dst) {
    return dst.appendByte((byte) VERSION)
        .appendByte((byte) type)
        .appendShort((short) flags)
        .appendInt(streamId)
        .appendInt((int) length);
  }

  /** Reads a header from the 12 bytes at {@code off}. */
  static FrameHeader read(Buffer src, int off) {
    int version = src.getUnsignedByte(off);
    if (version != VERSION) {
      throw new YamuxException("unsupported Yamux version " + version + ", expected 0");
    }
    return new FrameHeader(
        src.getUnsignedByte(off + 1),
        src.getUnsignedShort(off + 2),
        src.getInt(off + 4),
        src.getUnsignedInt(off + 8));
  }

  @Override
  public String toString() {
    return "Frame[type="
        + type
        + " flags="
        + flags
        + " stream="
        + unsignedStreamId()
        + " length="
        + length
        + "]";
  }
}
