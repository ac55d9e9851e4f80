package dev.tally.car;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Archives a client uploads ({@code dag/import}, {@code tally dag import}) or a peer sends (log
 * checkpoints and proofs): truncated, mutated, or with oversized length prefixes, in both CAR
 * versions, they fail only with {@link CarException}, and the reader takes no more memory than the
 * input plus one section of its configured limit.
 */
class MalformedCarPropertiesTest {

  private static final CarLimits SMALL = new CarLimits(4096, 8192);

  @Property(tries = 300, seed = "4021")
  void mutatedArchivesFailOnlyWithCarException(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    List<Block> blocks = new ArrayList<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      blocks.add(Block.create(Multicodec.RAW, randomBytes(r, r.nextInt(600))));
    }
    List<Cid> roots = blocks.isEmpty() ? List.of() : List.of(blocks.get(0).cid());
    byte[] v1 = CarTestData.writeV1(roots, blocks);
    byte[] valid =
        r.nextBoolean() ? v1 : CarTestData.wrapV2(v1, r.nextInt(9), r.nextInt(9), new byte[0]);
    byte[] input = r.nextInt(8) == 0 ? randomBytes(r, r.nextInt(200)) : variant(valid, r);
    CarLimits limits = r.nextBoolean() ? SMALL : CarLimits.DEFAULT;
    check(
        CarException.class, input, limits.maxSectionBytes(), b -> CarTestData.readToEnd(b, limits));
    check(CarException.class, input, CarHeader::decode);
  }
}
