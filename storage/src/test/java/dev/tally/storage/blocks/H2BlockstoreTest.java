package dev.tally.storage.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.BlockstoreContractTest;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2BlockstoreTest extends BlockstoreContractTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("blocks.mv.db");
  }

  @Override
  protected Blockstore newStore() {
    return H2Blockstore.open(file());
  }

  @Test
  void reopensWithEveryBlockAndTheCountersAfterAClose() {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      blocks.add(rawBlock(i, 1000 + i));
    }
    store.putAll(blocks.subList(0, 30));
    blocks.subList(30, 40).forEach(store::put);
    store.delete(blocks.get(7).cid());
    long bytes = store.totalBytes();
    store.close();

    try (Blockstore reopened = H2Blockstore.open(file())) {
      assertEquals(39, reopened.size());
      assertEquals(bytes, reopened.totalBytes());
      for (int i = 0; i < 40; i++) {
        Block b = blocks.get(i);
        if (i == 7) {
          assertFalse(reopened.has(b.cid()));
        } else {
          assertEquals(b, reopened.get(b.cid()).orElseThrow());
        }
      }
      // The reopened store keeps numbering bodies after the existing ones.
      Block more = rawBlock(99, 10);
      reopened.put(more);
      assertEquals(more, reopened.get(more.cid()).orElseThrow());
      assertEquals(40, reopened.size());
    }
  }

  @Test
  void reopensAnEmptyStore() {
    store.close();
    try (Blockstore reopened = H2Blockstore.open(file())) {
      assertEquals(0, reopened.size());
      assertEquals(0, reopened.totalBytes());
    }
  }

  @Test
  void keysStreamSeesTheStoreAsItWasWhenItStarted() {
    Set<Multihash> before = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Block b = rawBlock(i, 50);
      store.put(b);
      before.add(b.cid().multihash());
    }
    try (Stream<Multihash> keys = store.keys()) {
      store.put(rawBlock(1000, 50));
      store.delete(rawBlock(0, 50).cid());
      assertEquals(before, keys.collect(Collectors.toSet()));
    }
  }

  @Test
  void worksWithoutAReadCache() {
    store.close();
    try (Blockstore uncached = H2Blockstore.open(file(), 0)) {
      Block b = rawBlock(3, 4096);
      uncached.put(b);
      assertEquals(b, uncached.get(b.cid()).orElseThrow());
      assertEquals(b, uncached.get(b.cid()).orElseThrow());
    }
  }

  @Test
  void aSecondOpenOfTheSameFileFailsWithTheFileNamed() {
    StorageException e = assertThrows(StorageException.class, () -> H2Blockstore.open(file()));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
  }

  @Test
  void refusesAFileThatIsNotABlockstore() throws Exception {
    store.close();
    Path other = dir.resolve("other.mv.db");
    try (org.h2.mvstore.MVStore mv = org.h2.mvstore.MVStore.open(other.toString())) {
      mv.<String, Long>openMap("blocks.index").put("x", 1L);
      mv.<String, Long>openMap("blocks.meta").put("format", 9L);
    }
    StorageException e = assertThrows(StorageException.class, () -> H2Blockstore.open(other));
    assertTrue(e.getMessage().contains("format"), e.getMessage());
    assertTrue(Files.exists(other));
  }

  @Test
  void refusesABlockstoreOfAnotherFormatNamingBoth() {
    store.close();
    try (org.h2.mvstore.MVStore mv = org.h2.mvstore.MVStore.open(file().toString())) {
      mv.<String, Long>openMap("blocks.meta").put("format", 2L);
    }
    StorageException e = assertThrows(StorageException.class, () -> H2Blockstore.open(file()));
    assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    assertTrue(e.getMessage().contains("format 1"), e.getMessage());
  }
}
