package dev.tally.exchange.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  @Test
  void splitsFramesArrivingInPieces() {
    FrameDecoder d = new FrameDecoder(1000);
    // 300 = 0xac 0x02 as a uvarint.
    byte[] body = new byte[300];
    body[299] = 9;
    d.feed(Buffer.buffer(new byte[] {(byte) 0xac}));
    assertTrue(d.next().isEmpty());
    d.feed(Buffer.buffer(new byte[] {0x02}).appendBytes(body, 0, 100));
    assertTrue(d.next().isEmpty());
    d.feed(Buffer.buffer().appendBytes(body, 100, 200).appendBytes(new byte[] {1, 7}));
    assertArrayEquals(body, d.next().orElseThrow());
    assertArrayEquals(new byte[] {7}, d.next().orElseThrow());
    assertEquals(Optional.empty(), d.next());
    assertEquals(0, d.buffered());
  }

  @Test
  void refusesAnOversizedLengthBeforeBufferingTheFrame() {
    FrameDecoder d = new FrameDecoder(4 * 1024 * 1024);
    // 4 MiB + 1 = 0x400001: 0x81 0x80 0x80 0x02.
    d.feed(Buffer.buffer(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x02}));
    MessageException e = assertThrows(MessageException.class, d::next);
    assertTrue(e.getMessage().contains("4194305"), e.getMessage());
  }

  @Test
  void refusesOverlongAndNonMinimalLengths() {
    FrameDecoder d = new FrameDecoder(1000);
    byte[] eleven = new byte[11];
    java.util.Arrays.fill(eleven, (byte) 0x80);
    d.feed(Buffer.buffer(eleven));
    assertThrows(MessageException.class, d::next);
    FrameDecoder n = new FrameDecoder(1000);
    n.feed(Buffer.buffer(new byte[] {(byte) 0x81, 0x00, 0}));
    assertThrows(MessageException.class, n::next);
  }

  @Property(tries = 300)
  void arbitraryBytesOnlyEverFailWithAMessageException(@ForAll @Size(max = 200) byte[] junk) {
    FrameDecoder d = new FrameDecoder(64);
    d.feed(Buffer.buffer(junk));
    try {
      while (d.next().isPresent()) {
        // drain
      }
    } catch (MessageException expected) {
      // the only failure a hostile peer may cause
    }
  }

  @Property(tries = 200)
  void framesCutAtAnyPointsComeBackWhole(
      @ForAll @Size(max = 8) java.util.List<@Size(max = 3000) byte[]> frames,
      @ForAll java.util.Random random) {
    Buffer wire = Buffer.buffer();
    for (byte[] f : frames) {
      wire.appendBytes(dev.tally.multiformats.Varint.encode(f.length)).appendBytes(f);
    }
    FrameDecoder d = new FrameDecoder(4096);
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    int pos = 0;
    while (pos < wire.length()) {
      int n = Math.min(wire.length() - pos, 1 + random.nextInt(700));
      d.feed(wire.getBuffer(pos, pos + n));
      pos += n;
      for (Optional<byte[]> f = d.next(); f.isPresent(); f = d.next()) {
        out.add(f.get());
      }
    }
    assertEquals(frames.size(), out.size());
    for (int i = 0; i < frames.size(); i++) {
      assertArrayEquals(frames.get(i), out.get(i));
    }
    assertEquals(0, d.buffered());
  }

  @Test
  void splitsAFrameIntoHeadAndRestWithoutLosingTheNextOne() {
    FrameDecoder d = new FrameDecoder(100);
    // Frame 1: 5 bytes {3, a, b, c, d} cut after its first byte's value + 1; frame 2: {9}.
    d.feed(Buffer.buffer(new byte[] {5, 3, 'a', 'b'}));
    assertTrue(d.nextSplit(8, b -> b.get(0) + 1).isEmpty());
    d.feed(Buffer.buffer(new byte[] {'c', 'd', 1, 9}));
    byte[][] parts = d.nextSplit(8, b -> b.get(0)).orElseThrow();
    assertArrayEquals(new byte[] {3, 'a', 'b'}, parts[0]);
    assertArrayEquals(new byte[] {'c', 'd'}, parts[1]);
    assertEquals(2, d.buffered());
    assertArrayEquals(new byte[] {9}, d.next().orElseThrow());
  }

  @Test
  void aHeadLongerThanTheViewIsRefused() {
    FrameDecoder d = new FrameDecoder(100);
    d.feed(Buffer.buffer(new byte[] {3, 1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> d.nextSplit(2, b -> 3));
  }
}
