package dev.tally.storage.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.StoredBody;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies handed out as checked pack ranges (ADR 044): their bytes, their checks, their files. */
class PackReaderTest {
  @TempDir Path dir;

  private static Block block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Block.create(Multicodec.RAW, b);
  }

  private static byte[] readRange(StoredBody body) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(body.size());
    while (b.hasRemaining()) {
      assertTrue(body.file().read(b, body.position() + b.position()) >= 0);
    }
    return b.array();
  }

  @Test
  void aBodyIsItsRangeOfThePackAndItsCheckedBytes() throws Exception {
    try (PackBlockstore store = PackBlockstore.open(dir, PackOptions.defaults())) {
      Block a = block(300_000, 1);
      Block b = block(10, 2);
      store.putAll(List.of(a, b));
      try (BlockFiles files = store.files()) {
        for (Block x : List.of(a, b, a)) {
          StoredBody body = files.body(x.cid()).orElseThrow();
          assertEquals(x.size(), body.size());
          assertArrayEquals(x.bytes(), readRange(body));
          byte[] checked = new byte[body.size()];
          body.bytes().duplicate().get(checked);
          assertArrayEquals(x.bytes(), checked);
        }
        assertEquals(1, store.readerFilesOpen(), "one descriptor per pack, reused");
        Cid absent = block(5, 3).cid();
        assertTrue(files.body(absent).isEmpty());
        Cid identity = Cid.v1(Multicodec.RAW, Multihash.of(0x00, new byte[] {1, 2}));
        assertTrue(files.body(identity).isEmpty());
      }
      assertEquals(0, store.readerFilesOpen());
    }
  }

  @Test
  void aFlippedBodyByteIsRefusedEveryTimeEvenWhenTheCacheHoldsTheBlock() throws Exception {
    Block a = block(50_000, 4);
    try (PackBlockstore store = PackBlockstore.open(dir, PackOptions.defaults())) {
      store.put(a);
      store.get(a.cid()); // cached: the ordinary read would not look at the pack again
      Path pack = dir.resolve("00000001.pack");
      try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
        long at = Files.size(pack) - 1000;
        f.seek(at);
        int v = f.read();
        f.seek(at);
        f.write(v ^ 0x10);
      }
      try (BlockFiles files = store.files()) {
        CorruptBlockException e =
            assertThrows(CorruptBlockException.class, () -> files.body(a.cid()));
        assertTrue(e.getMessage().contains("CRC-32C"), e.getMessage());
      }
      assertEquals(0, store.readerFilesOpen());
    }
  }

  @Test
  void aRangeStaysReadableAfterCompactionDeletedItsPackAndTheNextLookUpFindsTheMovedRecord()
      throws Exception {
    try (PackBlockstore store =
        PackBlockstore.open(dir, PackOptions.defaults().withPackBytes(1 << 20))) {
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        blocks.add(block(200_000, 10 + i));
      }
      store.putAll(blocks);
      Block kept = blocks.get(1);
      try (BlockFiles files = store.files()) {
        StoredBody before = files.body(kept.cid()).orElseThrow();
        Path oldPack = dir.resolve(String.format("%08d.pack", 1));
        assertTrue(Files.exists(oldPack));
        // Every block but one deleted, then every sparse pack rewritten and removed.
        List<Multihash> drop = new ArrayList<>();
        for (Block b : blocks) {
          if (b != kept) {
            drop.add(b.cid().multihash());
          }
        }
        store.deleteAll(drop);
        PackBlockstore.Compaction c = store.compact(0.5);
        assertTrue(c.packsRemoved() > 0, c.toString());
        assertFalse(Files.exists(oldPack), "the pack the range lies in is deleted");
        assertArrayEquals(kept.bytes(), readRange(before));
        StoredBody after = files.body(kept.cid()).orElseThrow();
        assertArrayEquals(kept.bytes(), readRange(after));
        assertTrue(files.body(blocks.get(0).cid()).isEmpty());
      }
      assertEquals(0, store.readerFilesOpen());
    }
  }

  @Test
  void aPackIdReusedAfterCompactionIsReopenedWhileRangesFromTheOldFileStayReadable()
      throws Exception {
    try (PackBlockstore store =
        PackBlockstore.open(dir, PackOptions.defaults().withPackBytes(1 << 20))) {
      Block a = block(200_000, 30);
      store.put(a);
      try (BlockFiles files = store.files()) {
        StoredBody old = files.body(a.cid()).orElseThrow();
        // The only pack, emptied and compacted away: the next pack gets its id again.
        store.deleteAll(List.of(a.cid().multihash()));
        assertEquals(1, store.compact(0.5).packsRemoved());
        Block c = block(150_000, 31);
        store.put(c);
        assertTrue(Files.exists(dir.resolve("00000001.pack")), "id 1 reused");
        // The reader's descriptor for pack 1 is the deleted file: it must open the new one.
        StoredBody fresh = files.body(c.cid()).orElseThrow();
        assertArrayEquals(c.bytes(), readRange(fresh));
        // A range handed out from the old file still reads (a response may be sending it).
        assertArrayEquals(a.bytes(), readRange(old));
        assertEquals(2, store.readerFilesOpen());
      }
      assertEquals(0, store.readerFilesOpen());
    }
  }
}
