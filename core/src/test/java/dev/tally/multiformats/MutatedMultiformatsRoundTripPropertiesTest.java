package dev.tally.multiformats;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random inputs, and real encodings mutated by one to three hostile edits, either fail with the
 * decoder's own exception (with a message and bounded allocation) or are accepted, and then what
 * was accepted round-trips: decoding it again, or re-encoding and re-parsing it, gives the same
 * value and bytes. {@link MalformedMultiformatsPropertiesTest} checks the failures on generated
 * values; this class adds the round trip of whatever a decoder lets through.
 */
class MutatedMultiformatsRoundTripPropertiesTest {

  private static final List<byte[]> BINARY_SEEDS =
      List.of(
          Hex.bytes("1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
          Hex.bytes("01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
          Hex.bytes("0171a0e40220256c83b297114d201b30179f3f0ef0cace9783622da5974326b436178aeef610"),
          Hex.bytes("000b68656c6c6f20776f726c64"),
          Hex.bytes("ffffffffffffffff7f"),
          Hex.bytes(
              "29200108a07ac542013ac986fffe317095061f40dd03a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b"),
          Hex.bytes("3819736a632d312e626f6f7473747261702e6c69627032702e696f0604d2"),
          Hex.bytes(
              "047f000001910204d29802d203221220c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2"));

  private static final List<String> TEXT_SEEDS =
      List.of(
          "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
          "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
          "k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl7",
          "MAAB5ZXMgbWFuaSAh",
          "cab4wk4zanvqw42jaee======",
          "🚀🏃✋🌈😅🌷🤤😻🌟😅👏",
          "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
          "/ip6/::ffff:127.0.0.1/tcp/111/p2p/12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV",
          "/dns4/example.com/tcp/443/wss/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
          "/ip6zone/x%y/ip6/fe80::1/udp/1/quic");

  private static final int TRIES = 5000;

  @Property(tries = TRIES, seed = "7011")
  void acceptedVarintsDecodeAlikeFromArraysAndBuffersAndAreMinimal(@ForAll long seed) {
    check(
        VarintException.class,
        binary(new Random(seed)),
        b -> {
          long v = Varint.decode(b, 0, b.length);
          ByteBuffer buf = ByteBuffer.wrap(b);
          assertEquals(v, Varint.read(buf));
          assertEquals(Varint.encodedLength(v), buf.position());
        });
  }

  @Property(tries = TRIES, seed = "7012")
  void acceptedMultihashesKeepTheirBytes(@ForAll long seed) {
    check(
        MultihashException.class,
        binary(new Random(seed)),
        b -> assertArrayEquals(b, Multihash.decode(b).bytes()));
  }

  @Property(tries = TRIES, seed = "7013")
  void acceptedBinaryCidsKeepTheirBytesAndParseBackFromText(@ForAll long seed) {
    check(
        CidFormatException.class,
        binary(new Random(seed)),
        b -> {
          Cid cid = Cid.decode(b);
          assertArrayEquals(b, cid.bytes());
          assertEquals(cid, Cid.parse(cid.toString()));
        });
  }

  @Property(tries = TRIES, seed = "7014")
  void acceptedCidTextParsesBackFromItsCanonicalText(@ForAll long seed) {
    check(
        CidFormatException.class,
        text(new Random(seed)),
        s -> {
          Cid cid = Cid.parse(s);
          assertEquals(cid, Cid.parse(cid.toString()));
        });
  }

  @Property(tries = TRIES, seed = "7015")
  void acceptedMultibaseTextReencodesInItsBaseToTheSameBytes(@ForAll long seed) {
    check(
        MultibaseException.class,
        text(new Random(seed)),
        s -> {
          byte[] b = Multibase.decode(s);
          assertArrayEquals(b, Multibase.decode(Multibase.of(s).encode(b)));
        });
  }

  @Property(tries = TRIES, seed = "7016")
  void acceptedBinaryMultiaddrsParseBackFromText(@ForAll long seed) {
    check(
        MultiaddrException.class,
        binary(new Random(seed)),
        b -> {
          Multiaddr a = Multiaddr.decode(b);
          assertEquals(a, Multiaddr.parse(a.toString()));
        });
  }

  @Property(tries = TRIES, seed = "7017")
  void acceptedMultiaddrTextRoundTripsThroughBytesAndText(@ForAll long seed) {
    check(
        MultiaddrException.class,
        text(new Random(seed)),
        s -> {
          Multiaddr a = Multiaddr.parse(s);
          assertEquals(a, Multiaddr.decode(a.bytes()));
          assertEquals(a, Multiaddr.parse(a.toString()));
        });
  }

  /** Random bytes (one in four) or a binary seed after one to three hostile edits. */
  private static byte[] binary(Random r) {
    if (r.nextInt(4) == 0) {
      return randomBytes(r, r.nextInt(48));
    }
    byte[] b = BINARY_SEEDS.get(r.nextInt(BINARY_SEEDS.size()));
    for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
      b = variant(b, r);
    }
    return b;
  }

  /**
   * Random text over the multiformats' alphabets (one in four), or a text seed after one to three
   * hostile edits, of its characters or of its UTF-8 bytes (which can split a character).
   */
  private static String text(Random r) {
    int mode = r.nextInt(4);
    if (mode == 0) {
      return randomText(r);
    }
    String seed = TEXT_SEEDS.get(r.nextInt(TEXT_SEEDS.size()));
    int edits = 1 + r.nextInt(3);
    if (mode == 1) {
      byte[] b = seed.getBytes(StandardCharsets.UTF_8);
      for (; edits > 0; edits--) {
        b = variant(b, r);
      }
      return new String(b, StandardCharsets.UTF_8);
    }
    String s = seed;
    for (; edits > 0; edits--) {
      s = variant(s, r);
    }
    return s;
  }

  private static String randomText(Random r) {
    String alphabet = "/0123456789abcdefxyzQmkbBfFuUmMz:.%-_=🚀ip4tcpudp6dns";
    StringBuilder sb = new StringBuilder();
    for (int n = r.nextInt(60); n > 0; n--) {
      sb.append(
          r.nextInt(20) == 0
              ? (char) r.nextInt(0x10000)
              : alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
