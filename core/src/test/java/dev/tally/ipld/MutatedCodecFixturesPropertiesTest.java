package dev.tally.ipld;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The IPLD codec fixtures, each mutated by one to four edits (the hostile variants, slices of other
 * fixtures spliced in, and 0x1b, dag-cbor's 8-byte length head, written anywhere), fail in every
 * decoder that reads them only with {@link CodecException}, with a message and bounded allocation.
 * Starting from real encodings reaches deep into the parsers; random bytes and generated nodes are
 * {@link MalformedBlockPropertiesTest}'s part.
 */
class MutatedCodecFixturesPropertiesTest {

  /** Each codec's fixtures, read once; a raw block has none, so it starts from one zero byte. */
  private static final Map<Codec, List<byte[]>> FIXTURES =
      Codecs.all().stream()
          .collect(
              Collectors.toMap(
                  c -> c,
                  c -> {
                    List<byte[]> f = Fixtures.allEncodedWith(c.name());
                    return f.isEmpty() ? List.of(new byte[] {0}) : f;
                  }));

  /** Slices spliced into a fixture come from its own codec's fixtures and dag-cbor's. */
  private static final List<byte[]> DAG_CBOR = Fixtures.allEncodedWith("dag-cbor");

  @Property(tries = 1000, seed = "7001")
  void mutatedFixturesFailOnlyWithCodecException(@ForAll long seed) {
    Random r = new Random(seed);
    for (Codec codec : Codecs.all()) {
      List<byte[]> fixtures = FIXTURES.get(codec);
      List<byte[]> donors = new ArrayList<>(fixtures);
      donors.addAll(DAG_CBOR);
      for (int i = 0; i < 4; i++) {
        byte[] input = mutate(fixtures.get(r.nextInt(fixtures.size())), donors, r);
        check(CodecException.class, input, codec::decode);
        check(CodecException.class, input, codec::links);
      }
    }
  }

  private static byte[] mutate(byte[] fixture, List<byte[]> donors, Random r) {
    byte[] b = fixture;
    for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
      switch (r.nextInt(4)) {
        case 0 -> b = splice(b, donors.get(r.nextInt(donors.size())), r);
        case 1 -> {
          if (b.length > 0) {
            b = b.clone();
            b[r.nextInt(b.length)] = 0x1b;
          }
        }
        default -> b = variant(b, r);
      }
    }
    return b;
  }

  /** Up to 31 bytes of {@code donor} inserted at a random position of {@code b}. */
  private static byte[] splice(byte[] b, byte[] donor, Random r) {
    int from = donor.length == 0 ? 0 : r.nextInt(donor.length);
    int len = Math.min(donor.length - from, r.nextInt(32));
    int at = r.nextInt(b.length + 1);
    byte[] out = new byte[b.length + len];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(donor, from, out, at, len);
    System.arraycopy(b, at, out, at + len, b.length - at);
    return out;
  }
}
