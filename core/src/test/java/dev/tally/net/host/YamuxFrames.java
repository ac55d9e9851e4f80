package dev.tally.net.host;

import io.vertx.core.buffer.Buffer;

/** Raw Yamux frames for tests whose peer misbehaves below the session API. */
final class YamuxFrames {
  private YamuxFrames() {}

  /** Version 0, then type, flags, stream id and length (big endian), then {@code payload}. */
  static Buffer frame(int type, int flags, int streamId, int length, Buffer payload) {
    return Buffer.buffer()
        .appendByte((byte) 0)
        .appendByte((byte) type)
        .appendShort((short) flags)
        .appendInt(streamId)
        .appendInt(length)
        .appendBuffer(payload);
  }
}
