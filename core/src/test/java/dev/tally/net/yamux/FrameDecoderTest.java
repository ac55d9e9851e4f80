package dev.tally.net.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  /** Collects frames as "header|payload-hex" strings. */
  private static final class Collector implements FrameDecoder.Sink {
    final List<String> frames = new ArrayList<>();
    private final StringBuilder payload = new StringBuilder();

    @Override
    public void onHeader(FrameHeader header) {
      payload.setLength(0);
    }

    @Override
    public void onData(FrameHeader header, Buffer piece) {
      payload.append(HexFormat.of().formatHex(piece.getBytes()));
    }

    @Override
    public void onFrameEnd(FrameHeader header) {
      frames.add(header + "|" + payload);
    }
  }

  @Test
  void decodesTheSpecsHeaderLayout() {
    Collector c = new Collector();
    // data, flags ACK|FIN, stream 3, length 2, payload "hi"; then go-away with error code 1.
    new FrameDecoder(c)
        .feed(
            Buffer.buffer(
                HexFormat.of()
                    .parseHex("000000060000000300000002" + "6869" + "000300000000000000000001")));
    assertEquals(
        List.of(
            "Frame[type=0 flags=6 stream=3 length=2]|6869",
            "Frame[type=3 flags=0 stream=0 length=1]|"),
        c.frames);
  }

  @Test
  void rejectsUnknownVersionAndType() {
    assertThrows(
        YamuxException.class,
        () ->
            new FrameDecoder(new Collector())
                .feed(Buffer.buffer(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})));
    assertThrows(
        YamuxException.class,
        () ->
            new FrameDecoder(new Collector())
                .feed(Buffer.buffer(new byte[] {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})));
  }

  @Property(tries = 200)
  void decodesTheSameFramesHoweverTheBytesAreSplit(
      @ForAll("frames") List<Buffer> frames, @ForAll @IntRange(min = 1, max = 40) int pieceSize) {
    Buffer all = Buffer.buffer();
    frames.forEach(all::appendBuffer);
    Collector whole = new Collector();
    new FrameDecoder(whole).feed(all);
    Collector split = new Collector();
    FrameDecoder decoder = new FrameDecoder(split);
    for (int i = 0; i < all.length(); i += pieceSize) {
      decoder.feed(all.slice(i, Math.min(all.length(), i + pieceSize)));
    }
    assertEquals(frames.size(), whole.frames.size());
    assertEquals(whole.frames, split.frames);
  }

  @Property(tries = 500)
  void arbitraryBytesOnlyEverFailWithAYamuxException(@ForAll @Size(max = 200) byte[] junk) {
    try {
      new FrameDecoder(new Collector()).feed(Buffer.buffer(junk));
    } catch (YamuxException expected) {
      // the only failure a hostile peer may cause
    }
  }

  @Provide
  Arbitrary<List<Buffer>> frames() {
    Arbitrary<Buffer> frame =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 15),
                Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50))
            .as(
                (type, flags, id, payload) ->
                    RawPeer.frame(
                        type,
                        flags,
                        id,
                        type == 0 ? payload.length : Integer.toUnsignedLong(id) % 1000,
                        type == 0 ? Buffer.buffer(payload) : Buffer.buffer()));
    return frame.list().ofMaxSize(10);
  }
}
