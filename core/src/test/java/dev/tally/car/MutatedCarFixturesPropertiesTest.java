package dev.tally.car;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Real archives (the go-car and js-car fixtures, a CARv2 with an index after its data) mutated by
 * one to four edits (the hostile variants, and a random byte inserted) are read to the end or fail
 * only with {@link CarException}, taking no more memory than the input plus one section of the
 * configured limit. Random bytes and single edits of generated archives are {@link
 * MalformedCarPropertiesTest}'s part.
 */
class MutatedCarFixturesPropertiesTest {

  private static final CarLimits SMALL = new CarLimits(4096, 8192);

  private static final List<byte[]> ARCHIVES = archives(new Random(0x7a11));

  @Property(tries = 3000, seed = "7031")
  void mutatedFixtureArchivesFailOnlyWithCarException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] input = ARCHIVES.get(r.nextInt(ARCHIVES.size()));
    for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
      input = r.nextInt(6) == 0 ? insertByte(input, r) : variant(input, r);
    }
    CarLimits limits = r.nextBoolean() ? SMALL : CarLimits.DEFAULT;
    check(
        CarException.class, input, limits.maxSectionBytes(), b -> CarTestData.readToEnd(b, limits));
  }

  private static byte[] insertByte(byte[] b, Random r) {
    int at = r.nextInt(b.length + 1);
    byte[] c = new byte[b.length + 1];
    System.arraycopy(b, 0, c, 0, at);
    c[at] = (byte) r.nextInt(256);
    System.arraycopy(b, at, c, at + 1, b.length - at);
    return c;
  }

  private static List<byte[]> archives(Random r) {
    try {
      List<byte[]> archives = new ArrayList<>();
      archives.add(CarTestData.resource("carv1-basic.car"));
      archives.add(CarTestData.resource("carv2-basic.car"));
      archives.add(CarTestData.resource("js-car-written.car"));
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        blocks.add(Block.create(Multicodec.RAW, randomBytes(r, r.nextInt(300))));
      }
      byte[] v1 = CarTestData.writeV1(List.of(blocks.get(0).cid()), blocks);
      archives.add(v1);
      archives.add(CarTestData.wrapV2(v1, 7, 3, randomBytes(r, 40)));
      archives.add(CarTestData.writeV1(List.<Cid>of(), List.of()));
      return List.copyOf(archives);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
