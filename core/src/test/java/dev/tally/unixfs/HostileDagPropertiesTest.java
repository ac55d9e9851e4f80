package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * DAGs a hostile peer can build from valid blocks (every block hashes to its CID; the lies are in
 * what the nodes claim): blocksizes and filesizes that disagree with the children, sizes near 2^64,
 * and HAMT shards linked deeper than any real directory. The exporter either returns exactly the
 * bytes its stat promised (the gateway's Content-Length) or fails with {@link UnixfsException}; it
 * never emits a different number of bytes, and never overflows the stack.
 */
class HostileDagPropertiesTest {

  /** A node as built: its CID and the bytes a reader of the whole file must get. */
  private record Built(Cid cid, byte[] content, boolean honest) {}

  @Property(tries = 300, seed = "4061")
  void filesWhoseSizesLieFailOrReturnExactlyWhatStatPromised(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    MemoryBlockstore store = new MemoryBlockstore();
    Built root = file(store, r, 0, r.nextInt(4) == 0 ? 0.0 : 0.15);
    UnixfsExporter exporter = new UnixfsExporter(store);
    long size;
    try {
      size = exporter.stat(root.cid()).size();
    } catch (UnixfsException e) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      exporter.cat(root.cid(), out);
      assertEquals(size, out.size(), "cat returned a different length than stat promised");
      assertArrayEquals(root.content(), out.toByteArray());
    } catch (UnixfsException e) {
      if (root.honest()) {
        throw e;
      }
    }
    long offset = size == 0 ? 0 : (long) (r.nextDouble() * size);
    long length = r.nextInt(200);
    ByteArrayOutputStream part = new ByteArrayOutputStream();
    try {
      exporter.cat(root.cid(), offset, length, part);
      assertEquals(
          Math.max(0, Math.min(length, size - offset)),
          part.size(),
          "a range returned a different length than stat's size allows");
      if (root.honest()) {
        assertArrayEquals(
            Arrays.copyOfRange(root.content(), (int) offset, (int) offset + part.size()),
            part.toByteArray());
      }
    } catch (UnixfsException e) {
      if (root.honest()) {
        throw e;
      }
    }
  }

  @Test
  void blocksizesNearTwoToTheSixtyFourFailWithUnixfsException() {
    MemoryBlockstore store = new MemoryBlockstore();
    Cid leaf = put(store, Multicodec.RAW, new byte[] {1, 2, 3});
    for (long lie : new long[] {-1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1}) {
      Data d =
          Data.newBuilder()
              .setType(DataType.File)
              .addBlocksizes(lie)
              .addBlocksizes(lie)
              .setFilesize(3)
              .build();
      Cid root = node(store, d, List.of(leaf, leaf));
      UnixfsExporter exporter = new UnixfsExporter(store);
      assertThrows(
          UnixfsException.class,
          () -> exporter.cat(root, new ByteArrayOutputStream()),
          "blocksize " + Long.toUnsignedString(lie));
      assertThrows(
          UnixfsException.class,
          () -> exporter.cat(root, 2, 10, new ByteArrayOutputStream()),
          "blocksize " + Long.toUnsignedString(lie));
    }
  }

  @Test
  void hamtShardsLinkedDeeperThanAnyHashFailWithUnixfsException() {
    MemoryBlockstore store = new MemoryBlockstore();
    // Fanout 2: one bit per level, and every shard's only link is slot "0" or "1" to the next.
    Data shard =
        Data.newBuilder().setType(DataType.HAMTShard).setHashType(0x22).setFanout(2).build();
    Cid current = node(store, shard, List.of());
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes =
          DagPb.encode(
              PbNode.of(
                  List.of(PbLink.of(current, "0", 1), PbLink.of(current, "1", 1)),
                  Optional.of(shard.toByteArray())));
      current = put(store, Multicodec.DAG_PB, bytes);
    }
    Cid root = current;
    UnixfsExporter exporter = new UnixfsExporter(store);
    assertThrows(UnixfsException.class, () -> exporter.ls(root));
    assertThrows(UnixfsException.class, () -> exporter.resolve(root, "some-name"));
  }

  private static Built file(MemoryBlockstore store, Random r, int depth, double lieRate) {
    if (depth == 3 || r.nextInt(3) == 0) {
      byte[] bytes = new byte[r.nextInt(60)];
      r.nextBytes(bytes);
      if (r.nextBoolean()) {
        return new Built(put(store, Multicodec.RAW, bytes), bytes, true);
      }
      Data.Builder d = Data.newBuilder().setType(DataType.File).setData(ByteString.copyFrom(bytes));
      boolean honest = true;
      if (r.nextDouble() < lieRate) {
        d.setFilesize(bytes.length + 1 + r.nextInt(100));
        honest = false;
      } else if (r.nextBoolean()) {
        d.setFilesize(bytes.length);
      }
      return new Built(node(store, d.build(), List.of()), bytes, honest);
    }
    List<Built> children = new ArrayList<>();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      children.add(file(store, r, depth + 1, lieRate));
    }
    boolean honest = children.stream().allMatch(Built::honest);
    Data.Builder d = Data.newBuilder().setType(DataType.File);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    long total = 0;
    for (Built c : children) {
      long size = c.content().length;
      if (r.nextDouble() < lieRate) {
        size = r.nextBoolean() ? Math.max(0, size - 1 - r.nextInt(30)) : size + 1 + r.nextInt(30);
        honest = false;
      }
      d.addBlocksizes(size);
      total += size;
      content.writeBytes(c.content());
    }
    if (r.nextDouble() < lieRate) {
      total += 1 + r.nextInt(50);
      honest = false;
    }
    d.setFilesize(total);
    Cid cid = node(store, d.build(), children.stream().map(Built::cid).toList());
    return new Built(cid, content.toByteArray(), honest);
  }

  private static Cid node(MemoryBlockstore store, Data data, List<Cid> children) {
    List<PbLink> links = children.stream().map(c -> PbLink.of(c, "", 0)).toList();
    return put(
        store, Multicodec.DAG_PB, DagPb.encode(PbNode.of(links, Optional.of(data.toByteArray()))));
  }

  private static Cid put(MemoryBlockstore store, long codec, byte[] bytes) {
    Block b = Block.create(codec, bytes);
    store.put(b);
    return b.cid();
  }
}
