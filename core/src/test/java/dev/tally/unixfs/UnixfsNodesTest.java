package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbNode;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnixfsNodesTest {
  /** The leaf as protobuf and the dag-pb codec encode it, the slow way Kubo's layout describes. */
  private static byte[] viaProtobuf(byte[] data) {
    Data.Builder d = Data.newBuilder().setType(DataType.File).setFilesize(data.length);
    if (data.length > 0) {
      d.setData(ByteString.copyFrom(data));
    }
    return DagPb.encode(PbNode.of(List.of(), Optional.of(d.build().toByteArray())));
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** Sizes on both sides of every varint length change the framing goes through. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 120, 121, 122, 127, 128, 129, 16_371, 16_383, 16_384, 262_144})
  void aLeafFramedInPlaceIsTheLeafTheCodecEncodes(int n) {
    byte[] data = random(n, n);
    int head = UnixfsNodes.leafHead(n);
    byte[] framed = new byte[head + n + UnixfsNodes.leafTail(n)];
    System.arraycopy(data, 0, framed, head, n);
    byte[] leaf = UnixfsNodes.fileLeaf(new Chunk(framed, head, n));
    assertArrayEquals(viaProtobuf(data), leaf);
    if (n > 0) {
      assertSame(framed, leaf, "a chunk read with the leaf's room around it is not copied");
    }
  }

  @Property(tries = 200)
  void aChunkWithoutExactRoomIsCopiedIntoItsLeaf(
      @ForAll @IntRange(max = 70_000) int n,
      @ForAll @IntRange(max = 40) int before,
      @ForAll @IntRange(max = 40) int after) {
    byte[] data = random(n, n + 31L * before + after);
    byte[] array = new byte[before + n + after];
    System.arraycopy(data, 0, array, before, n);
    byte[] leaf = UnixfsNodes.fileLeaf(new Chunk(array, before, n));
    assertArrayEquals(viaProtobuf(data), leaf);
    assertArrayEquals(data, java.util.Arrays.copyOfRange(array, before, before + n), "untouched");
    if (before != UnixfsNodes.leafHead(n) || after != UnixfsNodes.leafTail(n)) {
      assertNotSame(array, leaf);
    }
  }

  @Property(tries = 100)
  void aFixedSizeChunkerWithRoomCutsWhereOneWithoutDoes(
      @ForAll @IntRange(max = 20_000) int length,
      @ForAll @IntRange(min = 1, max = 4_000) int size,
      @ForAll @IntRange(max = 16) int before,
      @ForAll @IntRange(max = 16) int after)
      throws IOException {
    byte[] data = random(length, length);
    FixedSizeChunker plain = new FixedSizeChunker(new ByteArrayInputStream(data), size);
    FixedSizeChunker roomy =
        new FixedSizeChunker(new ByteArrayInputStream(data), size, before, after);
    for (Optional<byte[]> p = plain.next(); p.isPresent(); p = plain.next()) {
      Chunk c = roomy.nextChunk().orElseThrow();
      assertEquals(before, c.offset());
      assertArrayEquals(p.get(), c.bytes());
    }
    assertEquals(Optional.empty(), roomy.nextChunk());
  }
}
