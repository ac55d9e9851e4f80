package dev.tally.net.yamux;

import io.vertx.core.buffer.Buffer;

/**
 * Splits the incoming byte stream into Yamux frames without buffering payloads: a data frame's
 * payload is handed on in the pieces it arrives in, so the decoder holds at most one partial
 * 12-byte header. The sink validates each header (e.g. against the receive window) before any of
 * its payload is accepted.
 */
final class FrameDecoder {
  /** Receives decoded frames; throwing a {@link YamuxException} aborts decoding. */
  interface Sink {
    /** A frame header; for data frames its payload follows through {@link #onData}. */
    void onHeader(FrameHeader header);

    /** A piece of the current data frame's payload. */
    void onData(FrameHeader header, Buffer piece);

    /** The current frame (with all its payload) is complete. */
    void onFrameEnd(FrameHeader header);
  }

  private final Sink sink;
  private final byte[] partialHeader = new byte[FrameHeader.SIZE];
  private int partialLength;
  private FrameHeader current;
  private long payloadRemaining;
  private boolean failed;

  FrameDecoder(Sink sink) {
    this.sink = sink;
  }

  /** Feeds the next bytes from the connection; throws on a malformed frame. */
  void feed(Buffer chunk) {
    if (failed) {
      return;
    }
    try {
      decode(chunk);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void decode(Buffer chunk) {
    int pos = 0;
    int end = chunk.length();
    while (pos < end) {
      if (current == null) {
        if (partialLength == 0 && end - pos >= FrameHeader.SIZE) {
          startFrame(FrameHeader.read(chunk, pos));
          pos += FrameHeader.SIZE;
        } else {
          int take = Math.min(FrameHeader.SIZE - partialLength, end - pos);
          chunk.getBytes(pos, pos + take, partialHeader, partialLength);
          partialLength += take;
          pos += take;
          if (partialLength == FrameHeader.SIZE) {
            partialLength = 0;
            startFrame(FrameHeader.read(Buffer.buffer(partialHeader), 0));
          }
        }
      } else {
        int take = (int) Math.min(payloadRemaining, end - pos);
        FrameHeader header = current;
        payloadRemaining -= take;
        if (payloadRemaining == 0) {
          current = null;
        }
        sink.onData(header, chunk.slice(pos, pos + take));
        pos += take;
        if (current == null) {
          sink.onFrameEnd(header);
        }
      }
    }
  }

  private void startFrame(FrameHeader header) {
    sink.onHeader(header);
    if (header.type() == FrameHeader.TYPE_DATA && header.length() > 0) {
      current = header;
      payloadRemaining = header.length();
    } else {
      sink.onFrameEnd(header);
    }
  }
}
