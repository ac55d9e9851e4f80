package dev.tally.storage.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.nio.file.ExtendedOpenOption;
import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.BlockstoreContractTest;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multihash;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackBlockstoreTest extends BlockstoreContractTest {
  @TempDir Path dir;

  private PackOptions small() {
    return PackOptions.defaults().withPackBytes(64 << 10);
  }

  @Override
  protected Blockstore newStore() {
    return PackBlockstore.open(dir, small());
  }

  private static List<Block> blocks(int from, int n, int size) {
    List<Block> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(rawBlock(i, size));
    }
    return out;
  }

  private List<Path> packFiles() throws IOException {
    try (Stream<Path> ls = Files.list(dir)) {
      return ls.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
    }
  }

  @Test
  void rollsToANewPackAtTheSizeLimitAndReopensWithEveryBlock() throws IOException {
    List<Block> all = blocks(0, 40, 10_000);
    store.putAll(all.subList(0, 25));
    all.subList(25, 40).forEach(store::put);
    store.close();
    assertTrue(packFiles().size() >= 6, "10 kB blocks in 64 KiB packs: " + packFiles());
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(40, reopened.size());
      assertEquals(400_000, reopened.totalBytes());
      for (Block b : all) {
        assertEquals(b, reopened.get(b.cid()).orElseThrow());
      }
      assertEquals(0, reopened.truncatedOnOpen());
    }
  }

  @Test
  void cutsBytesAppendedAfterTheLastCommitOnOpen() throws IOException {
    List<Block> all = blocks(0, 3, 1000);
    store.putAll(all);
    store.close();
    Path pack = packFiles().get(0);
    long committed = Files.size(pack);
    // A torn record: what a crash between the pack write and the index commit leaves behind.
    Files.write(pack, new byte[] {0, 34, 0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(8, reopened.truncatedOnOpen());
      assertEquals(committed, Files.size(pack));
      Block more = rawBlock(99, 500);
      reopened.put(more);
      assertEquals(more, reopened.get(more.cid()).orElseThrow());
      for (Block b : all) {
        assertEquals(b, reopened.get(b.cid()).orElseThrow());
      }
    }
  }

  private static byte[] record(Block b) {
    byte[] mh = b.cid().multihash().bytes();
    byte[] head = PackRecord.header(mh, b.buffer());
    ByteBuffer out = ByteBuffer.allocate(head.length + mh.length + b.size());
    return out.put(head).put(mh).put(b.buffer()).array();
  }

  @Test
  void indexesWholeRecordsPastTheCommittedLengthAgainAsAfterALostCommit() throws IOException {
    store.putAll(blocks(0, 2, 100));
    store.close();
    Path pack = packFiles().get(0);
    Block lost = rawBlock(50, 300);
    byte[] torn = Arrays.copyOf(record(rawBlock(51, 300)), 200);
    Files.write(pack, record(lost), StandardOpenOption.APPEND);
    Files.write(pack, torn, StandardOpenOption.APPEND);
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(1, reopened.recoveredOnOpen());
      assertEquals(200, reopened.truncatedOnOpen());
      assertEquals(3, reopened.size());
      assertEquals(lost, reopened.get(lost.cid()).orElseThrow());
      assertFalse(reopened.has(rawBlock(51, 300).cid()));
    }
    try (PackBlockstore again = PackBlockstore.open(dir, small())) {
      assertEquals(0, again.recoveredOnOpen());
      assertEquals(3, again.size());
    }
  }

  @Test
  void adoptsAPackThatNoCommitRegistered() throws IOException {
    store.putAll(blocks(0, 2, 100));
    store.close();
    Block lost = rawBlock(60, 400);
    ByteBuffer pack = ByteBuffer.allocate(PackFile.HEADER + record(lost).length);
    Files.write(dir.resolve("00000009.pack"), pack.put(PackFile.MAGIC).put(record(lost)).array());
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(3, reopened.size());
      assertEquals(lost, reopened.get(lost.cid()).orElseThrow());
    }
  }

  @Test
  void deletesAnUnregisteredPackCutBeforeItsHeader() throws IOException {
    store.putAll(blocks(0, 2, 100));
    store.close();
    Path cut = dir.resolve("00000007.pack");
    Files.write(cut, new byte[] {'T', 'A', 'L'});
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertFalse(Files.exists(cut));
      assertEquals(2, reopened.size());
    }
  }

  @Test
  void refusesABlockWhoseBytesFlippedOnDiskAndVerifyNamesIt() throws IOException {
    List<Block> all = blocks(0, 3, 1000);
    store.putAll(all);
    store.close();
    Path pack = packFiles().get(0);
    // The second record's body: magic, first record, second header + 34-byte multihash, a few in.
    long at = PackFile.HEADER + PackRecord.length(34, 1000) + PackRecord.HEADER + 34 + 17;
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      CorruptBlockException e =
          assertThrows(CorruptBlockException.class, () -> reopened.get(all.get(1).cid()));
      assertEquals(all.get(1).cid(), e.cid());
      assertEquals(all.get(0), reopened.get(all.get(0).cid()).orElseThrow());
      List<Multihash> bad = new ArrayList<>();
      assertEquals(3, reopened.verify((mh, why) -> bad.add(mh)));
      assertEquals(List.of(all.get(1).cid().multihash()), bad);
    }
  }

  @Test
  void compactionFreesTheSpaceOfDeletedBlocksAndKeepsTheLiveOnes() throws IOException {
    List<Block> all = blocks(0, 60, 5000);
    store.putAll(all);
    PackBlockstore s = (PackBlockstore) store;
    long before = s.packBytes();
    List<Multihash> doomed = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (i % 4 != 0) {
        doomed.add(all.get(i).cid().multihash());
      }
    }
    PackBlockstore.Removed removed = s.deleteAll(doomed);
    assertEquals(45, removed.count());
    assertEquals(45 * 5000, removed.bytes());
    PackBlockstore.Compaction c = s.compact(0.5);
    assertTrue(c.packsRemoved() > 0);
    assertTrue(s.packBytes() < before / 2, s.packBytes() + " of " + before);
    long onDisk = 0;
    for (Path p : packFiles()) {
      onDisk += Files.size(p);
    }
    assertEquals(s.packBytes(), onDisk);
    s.close();
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(15, reopened.size());
      for (int i = 0; i < 60; i++) {
        Block b = all.get(i);
        if (i % 4 == 0) {
          assertEquals(b, reopened.get(b.cid()).orElseThrow());
        } else {
          assertFalse(reopened.has(b.cid()));
        }
      }
      assertEquals(0, reopened.verify((mh, why) -> {}) - 15);
    }
  }

  @Test
  void aBatchOverCapacityFailsWholeAndTheStoreKeepsServing() throws IOException {
    store.close();
    try (PackBlockstore capped = PackBlockstore.open(dir, small().withCapacityBytes(30_000))) {
      List<Block> first = blocks(0, 2, 10_000);
      capped.putAll(first);
      StorageFullException e =
          assertThrows(StorageFullException.class, () -> capped.putAll(blocks(10, 2, 10_000)));
      assertTrue(e.getMessage().contains("is full"), e.getMessage());
      assertEquals(2, capped.size());
      assertFalse(capped.has(rawBlock(10, 10_000).cid()));
      for (Block b : first) {
        assertEquals(b, capped.get(b.cid()).orElseThrow());
      }
      capped.put(rawBlock(20, 100));
      assertEquals(3, capped.size());
    }
    try (PackBlockstore reopened = PackBlockstore.open(dir, small())) {
      assertEquals(3, reopened.size());
      assertEquals(0, reopened.truncatedOnOpen());
    }
  }

  @Test
  void absentBlocksAreAnsweredByTheFilterWithoutAnIndexLookUp() {
    PackBlockstore s = (PackBlockstore) store;
    List<Block> stored = blocks(0, 2_000, 40);
    s.putAll(stored);
    long before = s.indexLookups();
    int absent = 100_000;
    for (int i = 0; i < absent; i++) {
      assertFalse(s.has(rawBlock(1_000_000 + i, 40).cid()));
    }
    long reachedIndex = s.indexLookups() - before;
    assertTrue(reachedIndex < absent / 100, reachedIndex + " of " + absent + " reached the index");
    for (Block b : stored) {
      assertTrue(s.has(b.cid()));
    }
  }

  @Test
  void aRebuildWhileAWriterPutsForgetsNoBlock() throws Exception {
    PackBlockstore s = (PackBlockstore) store;
    s.putAll(blocks(0, 5_000, 20));
    List<Block> racing = blocks(10_000, 3_000, 20);
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < racing.size(); i += 10) {
                s.putAll(racing.subList(i, i + 10));
              }
            });
    writer.start();
    int rebuilds = 0;
    while (writer.isAlive()) {
      rebuilds += s.rebuildFilter() ? 1 : 0;
    }
    writer.join();
    assertTrue(rebuilds > 0);
    for (Block b : racing) {
      assertTrue(s.has(b.cid()), "forgot " + b.cid());
    }
    s.deleteAll(racing.stream().map(b -> b.cid().multihash()).toList());
    s.rebuildFilter();
    for (Block b : racing) {
      assertFalse(s.has(b.cid()));
    }
    for (Block b : blocks(0, 5_000, 20)) {
      assertTrue(s.has(b.cid()));
    }
  }

  /** Whether this JVM can open a file in {@code dir} for {@code O_DIRECT} writes. */
  private boolean directWritesPossible() throws IOException {
    Path probe = dir.resolve("probe");
    Files.write(probe, new byte[0]);
    try (FileChannel ch =
        FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      Files.delete(probe);
    }
  }

  /**
   * Batches whose ends fall anywhere in a 4 KiB block and records that span the 1 MiB write buffer:
   * the partial block each batch leaves is carried into the next (also across a reopen), so every
   * record reads back intact and the pack ends exactly at its last record.
   */
  private void appendsAcrossUnalignedBatchEnds(boolean direct) throws IOException {
    store.put(rawBlock(1, 100));
    assertEquals(direct, ((PackBlockstore) store).writesDirect());
    store.close();
    PackOptions big = PackOptions.defaults();
    // The block the caller put first; sha2-256 multihashes are 34 bytes, and a record is a 10-byte
    // header, the multihash and the body, after the pack's 8-byte magic.
    List<Block> all = new ArrayList<>(List.of(rawBlock(1, 100)));
    long expectedLength = 8 + 10 + 34 + 100;
    try (PackBlockstore s = PackBlockstore.open(dir, big)) {
      for (int i = 0; i < 30; i++) {
        List<Block> batch = blocks(1000 * i, 1 + i % 3, 1 + (i * 92_821) % (1_500_000));
        s.putAll(batch);
        all.addAll(batch);
        for (Block b : batch) {
          expectedLength += 10 + 34 + b.size();
        }
      }
    }
    try (PackBlockstore s = PackBlockstore.open(dir, big)) {
      List<Block> more = blocks(90_000, 5, 3_001);
      s.putAll(more);
      all.addAll(more);
      expectedLength += 5 * (10 + 34 + 3_001);
      for (Block b : all) {
        assertEquals(b, s.get(b.cid()).orElseThrow());
      }
      assertEquals(0, s.verify((mh, why) -> fail(mh + ": " + why)) - all.size());
    }
    assertEquals(List.of(expectedLength), packFiles().stream().map(this::size).toList());
    try (PackBlockstore reopened = PackBlockstore.open(dir, big)) {
      assertEquals(0, reopened.truncatedOnOpen());
      assertEquals(0, reopened.recoveredOnOpen());
      assertEquals(all.size(), reopened.size());
    }
  }

  private long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void appendsBypassThePageCacheWhereTheFileSystemAllowsAndKeepEveryRecord() throws IOException {
    boolean direct = directWritesPossible();
    appendsAcrossUnalignedBatchEnds(direct);
  }

  @Test
  void appendsThroughThePageCacheKeepEveryRecordToo() throws IOException {
    System.setProperty(PackFile.BUFFERED_PROPERTY, "true");
    try {
      appendsAcrossUnalignedBatchEnds(false);
    } finally {
      System.clearProperty(PackFile.BUFFERED_PROPERTY);
    }
  }
}
