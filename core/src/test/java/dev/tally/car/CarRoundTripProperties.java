package dev.tally.car;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CarRoundTripProperties {

  @Property(tries = 200)
  void everyWrittenArchiveReadsBackTheSameRootsAndBlocks(
      @ForAll("blocks") @Size(max = 20) List<Block> blocks,
      @ForAll("cids") @Size(max = 4) List<Cid> roots)
      throws IOException {
    byte[] archive = CarTestData.writeV1(roots, blocks);
    try (CarReader reader = CarTestData.open(archive)) {
      assertEquals(1, reader.version());
      assertEquals(roots, reader.roots());
      assertEquals(blocks, CarTestData.readAll(reader));
      assertEquals(archive.length, reader.position());
    }
  }

  @Property(tries = 100)
  void aCarV2WrappingReadsLikeItsPayload(
      @ForAll("blocks") @Size(max = 10) List<Block> blocks,
      @ForAll("cids") @Size(min = 1, max = 2) List<Cid> roots,
      @ForAll @IntRange(max = 64) int padBefore,
      @ForAll @IntRange(max = 64) int padAfter,
      @ForAll @Size(max = 64) byte[] index)
      throws IOException {
    byte[] v1 = CarTestData.writeV1(roots, blocks);
    byte[] v2 = CarTestData.wrapV2(v1, padBefore, padAfter, index);
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(v2))) {
      assertEquals(2, reader.version());
      assertEquals(roots, reader.roots());
      assertEquals(blocks, CarTestData.readAll(reader));
      assertEquals(51L + padBefore + v1.length, reader.position());
    }
  }

  @Property(tries = 200)
  void headerDecodesToWhatWasEncoded(@ForAll("cids") @Size(max = 30) List<Cid> roots) {
    CarHeader header = new CarHeader(roots);
    assertEquals(header, CarHeader.decode(header.encode()));
  }

  @Provide
  Arbitrary<List<Block>> blocks() {
    return block().list();
  }

  @Provide
  Arbitrary<List<Cid>> cids() {
    return block().map(Block::cid).list();
  }

  /** Blocks under every supported hash function, CIDv0 and CIDv1, including identity CIDs. */
  private static Arbitrary<Block> block() {
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    Arbitrary<Long> hash =
        Arbitraries.of(
            Multicodec.SHA2_256,
            Multicodec.SHA2_512,
            Multicodec.SHA3_256,
            Multicodec.SHA3_512,
            Multicodec.BLAKE2B_256,
            Multicodec.BLAKE2B_512);
    Arbitrary<Long> codec = Arbitraries.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR);
    Arbitrary<Block> hashed =
        Combinators.combine(data, hash, codec, Arbitraries.integers().between(0, 3))
            .as(
                (bytes, h, c, v0) -> {
                  Multihash mh = Multihash.sum(h, bytes);
                  Cid cid = v0 == 0 && h == Multicodec.SHA2_256 ? Cid.v0(mh) : Cid.v1(c, mh);
                  return Block.of(cid, bytes);
                });
    Arbitrary<Block> inline =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(64)
            .map(b -> Block.of(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY, b)), b));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, hashed), net.jqwik.api.Tuple.of(1, inline));
  }
}
