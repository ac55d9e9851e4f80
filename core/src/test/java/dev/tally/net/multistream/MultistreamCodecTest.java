package dev.tally.net.multistream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MultistreamCodecTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesNaAsInTheSpec() {
    assertEquals("036e610a", HEX.formatHex(MultistreamCodec.encode("na").getBytes()));
  }

  @Test
  void encodesHeaderWithLengthCountingTheNewline() {
    byte[] expected = ("\u0013/multistream/1.0.0\n").getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(expected, MultistreamCodec.encode(MultistreamCodec.HEADER).getBytes());
  }

  @Test
  void encodesListAsOneMessageOfMessages() {
    // go-multistream's ls answer: uvarint(len(inner)+1) inner "\n".
    Buffer b = MultistreamCodec.encodeList(List.of("/a", "/bc"));
    assertEquals("0a" + "032f610a" + "042f62630a" + "0a", HEX.formatHex(b.getBytes()));
  }

  @Test
  void refusesToEncodeOversizeOrMultilineMessages() {
    assertThrows(IllegalArgumentException.class, () -> MultistreamCodec.encode("a\nb"));
    assertThrows(IllegalArgumentException.class, () -> MultistreamCodec.encode(""));
    assertThrows(IllegalArgumentException.class, () -> MultistreamCodec.encode("x".repeat(1024)));
    // 1024 needs a two-byte varint.
    assertEquals(1026, MultistreamCodec.encode("x".repeat(1023)).length());
  }

  @Test
  void splitsPipelinedMessagesAndKeepsTheRest() {
    MessageReader r = new MessageReader(1024);
    Buffer in = MultistreamCodec.encode(MultistreamCodec.HEADER);
    in.appendBuffer(MultistreamCodec.encode("/noise"));
    in.appendString("app data");
    r.append(in);
    assertEquals(Optional.of(MultistreamCodec.HEADER), r.next());
    assertEquals(Optional.of("/noise"), r.next());
    assertEquals("app data", r.remaining().toString());
  }

  @Test
  void waitsForTheRestOfAPartialMessage() {
    MessageReader r = new MessageReader(1024);
    byte[] msg = MultistreamCodec.encode("/yamux/1.0.0").getBytes();
    for (int i = 0; i < msg.length - 1; i++) {
      r.append(Buffer.buffer(new byte[] {msg[i]}));
      assertEquals(Optional.empty(), r.next());
    }
    r.append(Buffer.buffer(new byte[] {msg[msg.length - 1]}));
    assertEquals(Optional.of("/yamux/1.0.0"), r.next());
  }

  @Test
  void rejectsAOneGibibyteLengthClaimBeforeBuffering() {
    MessageReader r = new MessageReader(1024);
    r.append(Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}));
    MultistreamException e = assertThrows(MultistreamException.class, r::next);
    assertTrue(e.getMessage().contains("limit of 1024"), e.getMessage());
  }

  @Test
  void rejectsClaimJustOverTheLimit() {
    MessageReader r = new MessageReader(1024);
    r.append(Buffer.buffer(new byte[] {(byte) 0x81, 0x08})); // 1025
    assertThrows(MultistreamException.class, r::next);
  }

  @Test
  void rejectsMessageWithoutNewlineAndNonMinimalLength() {
    MessageReader r = new MessageReader(1024);
    r.append(Buffer.buffer("\u0003abc"));
    assertThrows(MultistreamException.class, r::next);
    MessageReader r2 = new MessageReader(1024);
    r2.append(Buffer.buffer(new byte[] {(byte) 0x83, 0x00, 'n', 'a', '\n'}));
    assertThrows(MultistreamException.class, r2::next);
  }

  @Test
  void rejectsInvalidUtf8() {
    MessageReader r = new MessageReader(1024);
    r.append(Buffer.buffer(new byte[] {3, (byte) 0xff, (byte) 0xfe, '\n'}));
    assertThrows(MultistreamException.class, r::next);
  }

  @Property
  void roundTripsAnyProtocolNameAcrossAnySplit(
      @ForAll("names") List<String> names, @ForAll("splits") int split) {
    Buffer all = Buffer.buffer();
    for (String n : names) {
      all.appendBuffer(MultistreamCodec.encode(n));
    }
    int cut = Math.min(split, all.length());
    MessageReader r = new MessageReader(1024);
    r.append(all.getBuffer(0, cut));
    List<String> got = new java.util.ArrayList<>();
    for (Optional<String> m = r.next(); m.isPresent(); m = r.next()) {
      got.add(m.get());
    }
    r.append(all.getBuffer(cut, all.length()));
    for (Optional<String> m = r.next(); m.isPresent(); m = r.next()) {
      got.add(m.get());
    }
    assertEquals(names, got);
    assertEquals(0, r.remaining().length());
  }

  @Property
  void garbageFailsOnlyWithMultistreamException(@ForAll byte[] garbage) {
    MessageReader r = new MessageReader(1024);
    r.append(Buffer.buffer(garbage));
    try {
      while (r.next().isPresent()) {
        // keep reading
      }
    } catch (MultistreamException expected) {
      // the only failure a peer may cause
    }
  }

  @Provide
  Arbitrary<List<String>> names() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('é', '日')
        .ofMinLength(1)
        .ofMaxLength(300)
        .list()
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<Integer> splits() {
    return Arbitraries.integers().between(0, 2000);
  }
}
