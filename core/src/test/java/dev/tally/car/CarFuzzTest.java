package dev.tally.car;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated archives to the reader for a fixed time: anything but a clean read or a
 * {@link CarException} (a crash, an unchecked exception from below, an out-of-memory) fails.
 */
class CarFuzzTest {
  private static final long BUDGET_NANOS = 3_000_000_000L;
  private static final CarLimits SMALL = new CarLimits(4096, 8192);

  @Test
  void onlyCarExceptionsEscapeForRandomAndMutatedArchives() throws IOException {
    SplittableRandom random = new SplittableRandom(0x7a11);
    List<byte[]> seeds = seeds(random);
    long deadline = System.nanoTime() + BUDGET_NANOS;
    long runs = 0;
    while (System.nanoTime() < deadline) {
      byte[] input =
          random.nextInt(10) == 0
              ? randomBytes(random, random.nextInt(200))
              : mutate(random, seeds.get(random.nextInt(seeds.size())));
      try {
        readEverything(input);
      } catch (CarException expected) {
        // the only acceptable failure
      } catch (RuntimeException | IOException | Error e) {
        throw new AssertionError(
            "unexpected " + e + " for input " + java.util.HexFormat.of().formatHex(input), e);
      }
      runs++;
    }
    if (runs < 1000) {
      fail("fuzz loop ran only " + runs + " inputs in the budget");
    }
  }

  private static void readEverything(byte[] input) throws IOException {
    CarLimits limits = input.length % 2 == 0 ? SMALL : CarLimits.DEFAULT;
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(input), limits)) {
      reader.roots();
      while (reader.next().isPresent()) {
        reader.position();
      }
    }
  }

  private static List<byte[]> seeds(SplittableRandom random) throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(CarTestData.resource("carv1-basic.car"));
    seeds.add(CarTestData.resource("carv2-basic.car"));
    seeds.add(CarTestData.resource("js-car-written.car"));
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      blocks.add(Block.create(Multicodec.RAW, randomBytes(random, random.nextInt(300))));
    }
    byte[] v1 = CarTestData.writeV1(List.of(blocks.get(0).cid()), blocks);
    seeds.add(v1);
    seeds.add(CarTestData.wrapV2(v1, 7, 3, randomBytes(random, 40)));
    seeds.add(CarTestData.writeV1(List.<Cid>of(), List.of()));
    return seeds;
  }

  private static byte[] mutate(SplittableRandom random, byte[] seed) {
    byte[] b = seed.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        case 3 -> { // delete a byte
          byte[] c = new byte[b.length - 1];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + 1, c, at, b.length - at - 1);
          b = c;
        }
        case 4 -> { // insert a byte
          byte[] c = new byte[b.length + 1];
          System.arraycopy(b, 0, c, 0, at);
          c[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, c, at + 1, b.length - at);
          b = c;
        }
        default -> b[at] = (byte) 0xff; // long varints and huge lengths
      }
    }
    return b;
  }

  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }
}
