package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds random and mutated bytes to every decoder for a fixed time: the only failure allowed is a
 * {@link CodecException}. Mutations start from the fixtures (bit flips, truncations, insertions of
 * slices of other fixtures, overwritten length bytes) so they reach deep into the parsers.
 */
class DecoderFuzzTest {
  private static final long BUDGET_NANOS = 3_000_000_000L;

  static Stream<Codec> codecs() {
    return Codecs.all().stream();
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void onlyCodecExceptionEscapesTheDecoder(Codec codec) {
    List<byte[]> seeds = new ArrayList<>(Fixtures.allEncodedWith(codec.name()));
    List<byte[]> donors = new ArrayList<>(seeds);
    donors.addAll(Fixtures.allEncodedWith("dag-cbor"));
    if (seeds.isEmpty()) {
      seeds.add(new byte[] {0});
    }
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    long runs = 0;
    while (System.nanoTime() < deadline) {
      byte[] input =
          random.nextInt(8) == 0
              ? randomBytes(random)
              : mutate(seeds.get(random.nextInt(seeds.size())), donors, random);
      try {
        codec.decode(input);
        codec.links(input);
      } catch (CodecException expected) {
        // the one allowed outcome for bad input
      } catch (Throwable t) {
        fail(
            codec.name()
                + " threw "
                + t
                + " for input "
                + HexFormat.of().formatHex(input)
                + " (seed "
                + seed
                + ")",
            t);
      }
      runs++;
    }
    assertFalse(runs < 100, "only " + runs + " inputs in the time budget");
  }

  private static byte[] randomBytes(SplittableRandom r) {
    byte[] b = new byte[r.nextInt(64)];
    r.nextBytes(b);
    return b;
  }

  private static byte[] mutate(byte[] seed, List<byte[]> donors, SplittableRandom r) {
    byte[] b = seed.clone();
    int rounds = 1 + r.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      switch (r.nextInt(5)) {
        case 0 -> {
          if (b.length > 0) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
        case 2 -> {
          byte[] donor = donors.get(r.nextInt(donors.size()));
          int from = donor.length == 0 ? 0 : r.nextInt(donor.length);
          int len = Math.min(donor.length - from, r.nextInt(32));
          int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(donor, from, out, at, len);
          System.arraycopy(b, at, out, at + len, b.length - at);
          b = out;
        }
        case 3 -> {
          if (b.length > 0) {
            // Extreme values in a random position hit length prefixes and varints.
            b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0xff : 0x1b);
          }
        }
        default -> {
          if (b.length > 0) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
        }
      }
    }
    return b;
  }
}
