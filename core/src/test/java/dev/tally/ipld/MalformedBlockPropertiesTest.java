package dev.tally.ipld;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every codec a fetched or imported block is decoded with fails on hostile bytes only with {@link
 * CodecException}, and allocates in proportion to the block: truncations and mutations of valid
 * encodings, oversized length prefixes, and nesting far deeper than a thread's stack.
 */
class MalformedBlockPropertiesTest {

  @Provide
  Arbitrary<IpldNode> nodes() {
    return IpldArbitraries.nodes();
  }

  @Property(tries = 150, seed = "4011")
  void mutatedDagCborAndDagJsonFailOnlyWithCodecException(
      @ForAll("nodes") IpldNode node, @ForAll long seed) {
    Random r = new Random(seed);
    for (Codec codec : List.of(DagCbor.CODEC, DagJson.CODEC)) {
      byte[] valid;
      try {
        valid = codec.encode(node);
      } catch (CodecException notRepresentable) {
        continue; // dag-json's reserved forms: nothing valid to mutate
      }
      for (int i = 0; i < 4; i++) {
        decodeEveryWay(variant(valid, r));
      }
    }
    decodeEveryWay(randomBytes(r, r.nextInt(100)));
  }

  @Property(tries = 300, seed = "4012")
  void mutatedDagPbFailsOnlyWithCodecException(@ForAll long seed) {
    Random r = new Random(seed);
    List<PbLink> links = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      Cid target = Cid.v1(0x55, Multihash.sha256(randomBytes(r, 8)));
      links.add(PbLink.of(target, "n" + i, r.nextInt(1 << 20)));
    }
    byte[] valid =
        DagPb.encode(
            PbNode.sorted(
                links, r.nextBoolean() ? Optional.of(randomBytes(r, 20)) : Optional.empty()));
    for (int i = 0; i < 4; i++) {
      decodeEveryWay(variant(valid, r));
    }
  }

  @Property(tries = 12, seed = "4013")
  void nestingDeeperThanTheStackFailsWithCodecException(
      @ForAll @IntRange(min = 513, max = 200_000) int depth) {
    byte[] cborLists = new byte[depth + 1];
    Arrays.fill(cborLists, 0, depth, (byte) 0x81);
    byte[] cborMaps = new byte[depth * 3 + 1];
    for (int i = 0; i < depth; i++) {
      cborMaps[3 * i] = (byte) 0xa1; // map of one entry
      cborMaps[3 * i + 1] = 0x61; // key: text of length 1
      cborMaps[3 * i + 2] = 'a';
    }
    byte[] jsonLists = new byte[depth];
    Arrays.fill(jsonLists, (byte) '[');
    byte[] jsonMaps = "{\"a\":".repeat(depth).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] jsonLinks = "{\"/\":".repeat(depth).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte[] input : List.of(cborLists, cborMaps, jsonLists, jsonMaps, jsonLinks)) {
      decodeEveryWay(input);
    }
  }

  @Property(tries = 200, seed = "4014")
  void oversizedLengthPrefixesFailWithoutAllocatingThem(
      @ForAll @IntRange(min = 0, max = 26) int info, @ForAll long seed) {
    Random r = new Random(seed);
    int major = r.nextInt(8);
    long announced = r.nextLong() & Long.MAX_VALUE;
    byte[] head;
    if (info >= 24) {
      int width = 1 << (info - 24);
      head = new byte[1 + width];
      for (int i = 0; i < width; i++) {
        head[1 + i] = (byte) (announced >>> (8 * (width - 1 - i)));
      }
    } else {
      head = new byte[1];
    }
    head[0] = (byte) (major << 5 | info);
    byte[] input = new byte[head.length + r.nextInt(8)];
    System.arraycopy(head, 0, input, 0, head.length);
    decodeEveryWay(input);
    // dag-pb: a Links or Data field whose length prefix runs past the block
    byte[] pb = new byte[] {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2};
    decodeEveryWay(pb);
  }

  private static void decodeEveryWay(byte[] input) {
    for (Codec codec : Codecs.all()) {
      check(CodecException.class, input, codec::decode);
      check(CodecException.class, input, codec::links);
    }
  }
}
