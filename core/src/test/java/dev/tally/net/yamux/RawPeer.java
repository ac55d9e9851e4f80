package dev.tally.net.yamux;

import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** A hand-driven Yamux peer for hostile-frame tests: writes raw frames, records what it gets. */
final class RawPeer {
  final MemoryDuplex end;
  final List<FrameHeader> received = new ArrayList<>();
  final Buffer receivedData = Buffer.buffer();

  /** For each header in {@link #received}, how many data bytes had arrived before it. */
  final List<Integer> dataBefore = new ArrayList<>();

  RawPeer(MemoryDuplex end) {
    this.end = end;
    FrameDecoder decoder =
        new FrameDecoder(
            new FrameDecoder.Sink() {
              @Override
              public void onHeader(FrameHeader header) {
                received.add(header);
                dataBefore.add(receivedData.length());
              }

              @Override
              public void onData(FrameHeader header, Buffer piece) {
                receivedData.appendBuffer(piece);
              }

              @Override
              public void onFrameEnd(FrameHeader header) {}
            });
    end.handler(decoder::feed);
  }

  void send(int type, int flags, int streamId, long length) {
    end.write(frame(type, flags, streamId, length, Buffer.buffer()));
  }

  void sendData(int flags, int streamId, Buffer payload) {
    end.write(frame(FrameHeader.TYPE_DATA, flags, streamId, payload.length(), payload));
  }

  static Buffer frame(int type, int flags, int streamId, long length, Buffer payload) {
    return Buffer.buffer()
        .appendByte((byte) 0)
        .appendByte((byte) type)
        .appendShort((short) flags)
        .appendInt(streamId)
        .appendInt((int) length)
        .appendBuffer(payload);
  }

  long count(int type, int flag) {
    return received.stream().filter(h -> h.type() == type && (h.flags() & flag) == flag).count();
  }
}
