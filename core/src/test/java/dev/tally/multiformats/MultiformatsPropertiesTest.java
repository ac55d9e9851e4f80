package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class MultiformatsPropertiesTest {
  @Property(tries = 2000)
  void varintRoundTripsMinimally(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) {
    byte[] b = Varint.encode(v);
    assertEquals(Varint.encodedLength(v), b.length);
    assertEquals(v, Varint.decode(b, 0, b.length));
    assertEquals(v, Varint.read(ByteBuffer.wrap(b)));
    // Minimal: the final byte carries payload unless the value is zero.
    assertEquals(v == 0, b[b.length - 1] == 0);
    if (b.length < Varint.MAX_LENGTH) {
      byte[] padded = new byte[b.length + 1];
      System.arraycopy(b, 0, padded, 0, b.length);
      padded[b.length - 1] |= (byte) 0x80;
      assertThrows(VarintException.class, () -> Varint.decode(padded, 0, padded.length));
    }
  }

  @Property(tries = 300)
  void everyMultibaseRoundTrips(@ForAll @Size(max = 96) byte[] data) {
    for (Multibase base : Multibase.values()) {
      String text = base.encode(data);
      assertEquals(base, Multibase.of(text));
      assertArrayEquals(data, Multibase.decode(text), base.canonicalName());
      assertArrayEquals(data, base.decodeRaw(base.encodeRaw(data)), base.canonicalName());
    }
  }

  @Property(tries = 300)
  void cidRoundTripsThroughBinaryAndText(@ForAll("cids") Cid cid) {
    assertEquals(cid, Cid.decode(cid.bytes()));
    assertEquals(cid, Cid.parse(cid.toString()));
    ByteBuffer buf = ByteBuffer.allocate(cid.encodedLength() + 3);
    cid.writeTo(buf);
    buf.put(new byte[] {1, 2, 3}).flip();
    assertEquals(cid, Cid.read(buf));
    assertEquals(cid.encodedLength(), buf.position());
    if (cid.version() == 1) {
      for (Multibase base : Multibase.values()) {
        assertEquals(cid, Cid.parse(cid.toString(base)));
      }
    } else {
      assertEquals(cid, cid.toV1().toV0());
    }
  }

  @Property(tries = 300)
  void multiaddrRoundTripsThroughBinaryAndText(@ForAll("multiaddrs") Multiaddr a) {
    assertEquals(a, Multiaddr.decode(a.bytes()));
    assertEquals(a, Multiaddr.parse(a.toString()));
    assertEquals(a, Multiaddr.of(a.components()));
  }

  @Provide
  Arbitrary<Cid> cids() {
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<Long> hash =
        Arbitraries.of(
            Multicodec.IDENTITY,
            Multicodec.SHA2_256,
            Multicodec.SHA2_512,
            Multicodec.SHA3_256,
            Multicodec.SHA3_512,
            Multicodec.BLAKE2B_256,
            Multicodec.BLAKE2B_512,
            Multicodec.BLAKE3);
    Arbitrary<Long> codec =
        Arbitraries.oneOf(
            Arbitraries.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR),
            Arbitraries.longs().between(0, Long.MAX_VALUE));
    Arbitrary<Cid> v1 =
        Combinators.combine(codec, hash, data).as((c, h, d) -> Cid.v1(c, Multihash.sum(h, d)));
    Arbitrary<Cid> v0 = data.map(d -> Cid.v0(Multihash.sha256(d)));
    return Arbitraries.oneOf(v0, v1);
  }

  @Provide
  Arbitrary<Multiaddr> multiaddrs() {
    return component().list().ofMinSize(1).ofMaxSize(6).map(Multiaddr::of);
  }

  private Arbitrary<Multiaddr.Component> component() {
    List<Arbitrary<Multiaddr.Component>> choices = new ArrayList<>();
    for (MultiaddrProtocol p : MultiaddrProtocol.values()) {
      Arbitrary<byte[]> value =
          switch (p) {
            case IP4 -> Arbitraries.bytes().array(byte[].class).ofSize(4);
            case IP6 -> ip6();
            case TCP, UDP, SCTP -> Arbitraries.bytes().array(byte[].class).ofSize(2);
            case P2P, CERTHASH ->
                Arbitraries.bytes()
                    .array(byte[].class)
                    .ofMaxSize(40)
                    .map(d -> Multihash.sha256(d).bytes());
            case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE ->
                Arbitraries.strings()
                    .all()
                    .ofMinLength(1)
                    .ofMaxLength(20)
                    .filter(s -> s.indexOf('/') < 0 && isWellFormed(s))
                    .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> Arbitraries.just(new byte[0]);
          };
      choices.add(value.map(v -> new Multiaddr.Component(p, p.valueToText(v))));
    }
    return Arbitraries.oneOf(choices);
  }

  /** IPv6 with long zero runs and IPv4-mapped forms, which exercise the text compression rules. */
  private static Arbitrary<byte[]> ip6() {
    return Arbitraries.integers()
        .between(0, 0xff)
        .array(int[].class)
        .ofSize(16)
        .map(
            a -> {
              byte[] b = new byte[16];
              for (int i = 0; i < 16; i++) {
                b[i] = (byte) (a[i] < 128 ? 0 : a[i]);
              }
              return b;
            });
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
