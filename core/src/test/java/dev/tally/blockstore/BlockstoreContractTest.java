package dev.tally.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Blockstore} shares. Implementations extend this class (storage does so
 * through core's test-jar) and provide a fresh, empty store per test.
 */
public abstract class BlockstoreContractTest {

  protected Blockstore store;

  /** A new, empty, open store; the test closes it. */
  protected abstract Blockstore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      try {
        store.close();
      } catch (IllegalStateException alreadyClosed) {
        // a test closed it itself
      }
    }
  }

  /** A raw block of {@code size} pseudo-random bytes, distinct per seed. */
  protected static Block rawBlock(long seed, int size) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return Block.create(Multicodec.RAW, data);
  }

  protected static Block text(String s) {
    return Block.create(Multicodec.RAW, s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNewStoreIsEmpty() {
    assertEquals(0, store.size());
    assertEquals(0, store.totalBytes());
    try (Stream<Multihash> keys = store.keys()) {
      assertEquals(0, keys.count());
    }
  }

  @Test
  void getsWhatWasPut() {
    Block block = text("hello");
    assertFalse(store.has(block.cid()));
    assertTrue(store.get(block.cid()).isEmpty());
    store.put(block);
    assertTrue(store.has(block.cid()));
    assertEquals(block, store.get(block.cid()).orElseThrow());
    assertEquals(1, store.size());
    assertEquals(5, store.totalBytes());
  }

  @Test
  void storesEmptyAndLargeBlocks() {
    Block empty = Block.create(Multicodec.RAW, new byte[0]);
    Block large = rawBlock(7, 2 << 20);
    store.put(empty);
    store.put(large);
    assertEquals(empty, store.get(empty.cid()).orElseThrow());
    assertArrayEquals(large.bytes(), store.get(large.cid()).orElseThrow().bytes());
    assertEquals(2, store.size());
    assertEquals(2 << 20, store.totalBytes());
  }

  @Test
  void puttingTheSameBlockTwiceCountsItOnce() {
    Block block = rawBlock(1, 1000);
    store.put(block);
    store.put(block);
    assertEquals(1, store.size());
    assertEquals(1000, store.totalBytes());
  }

  @Test
  void deleteRemovesTheBlockAndItsBytes() {
    Block a = rawBlock(1, 100);
    Block b = rawBlock(2, 300);
    store.putAll(List.of(a, b));
    assertTrue(store.delete(a.cid()));
    assertFalse(store.has(a.cid()));
    assertTrue(store.get(a.cid()).isEmpty());
    assertFalse(store.delete(a.cid()));
    assertEquals(1, store.size());
    assertEquals(300, store.totalBytes());
    assertTrue(store.has(b.cid()));
  }

  @Test
  void cidV0AndCidV1OfTheSameBytesAreOneBlock() {
    byte[] node = {0x0a, 0x02, 0x08, 0x01}; // a dag-pb UnixFS directory node
    Cid v0 = Cid.v0(Multihash.sha256(node));
    Cid v1 = v0.toV1();
    Cid rawV1 = Cid.v1(Multicodec.RAW, v0.multihash());
    store.put(Block.of(v0, node));
    assertTrue(store.has(v1));
    assertTrue(store.has(rawV1));
    Block viaV1 = store.get(v1).orElseThrow();
    assertEquals(v1, viaV1.cid(), "the block is named by the CID asked for");
    assertArrayEquals(node, viaV1.bytes());
    store.put(Block.of(v1, node));
    assertEquals(1, store.size());
    assertEquals(node.length, store.totalBytes());
    assertTrue(store.delete(v1));
    assertFalse(store.has(v0));
    assertEquals(0, store.size());
  }

  @Test
  void identityCidsAreAnsweredFromTheCidAndNeverStored() {
    byte[] inline = "inline".getBytes(StandardCharsets.UTF_8);
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY, inline));
    assertTrue(store.has(cid));
    assertArrayEquals(inline, store.get(cid).orElseThrow().bytes());
    assertEquals(cid, store.get(cid).orElseThrow().cid());
    store.put(Block.of(cid, inline));
    store.putAll(List.of(Block.of(cid, inline), text("x")));
    assertEquals(1, store.size());
    assertEquals(1, store.totalBytes());
    assertFalse(store.delete(cid));
    try (Stream<Multihash> keys = store.keys()) {
      assertTrue(keys.noneMatch(Multihash::isIdentity));
    }
  }

  @Test
  void putAllStoresEveryBlockAndCountsDuplicatesOnce() {
    List<Block> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(rawBlock(i, 10 + i));
    }
    batch.add(rawBlock(3, 13));
    store.putAll(batch);
    assertEquals(50, store.size());
    long expected = batch.stream().distinct().mapToLong(Block::size).sum();
    assertEquals(expected, store.totalBytes());
    for (Block b : batch) {
      assertEquals(b, store.get(b.cid()).orElseThrow());
    }
  }

  @Test
  void putAllOfAnEmptyBatchChangesNothing() {
    store.putAll(List.of());
    assertEquals(0, store.size());
  }

  @Test
  void aBatchThatFailsHalfwayStoresNothing() {
    Block before = text("before");
    store.put(before);
    List<Block> good = List.of(rawBlock(1, 64), rawBlock(2, 64), rawBlock(3, 64));
    RuntimeException boom = new IllegalStateException("source failed");
    assertThrows(RuntimeException.class, () -> store.putAll(failingAfter(good, boom)));
    for (Block b : good) {
      assertFalse(store.has(b.cid()), "a failed batch must leave no block behind");
    }
    assertEquals(1, store.size());
    assertEquals(before.size(), store.totalBytes());
    assertTrue(store.has(before.cid()));
  }

  @Test
  void aBatchWithANullBlockStoresNothing() {
    List<Block> batch = new ArrayList<>(List.of(rawBlock(1, 64)));
    batch.add(null);
    assertThrows(RuntimeException.class, () -> store.putAll(batch));
    assertEquals(0, store.size());
    assertEquals(0, store.totalBytes());
  }

  @Test
  void keysListsEveryStoredMultihashOnce() {
    Set<Multihash> expected = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Block b = rawBlock(i, 32);
      store.put(b);
      expected.add(b.cid().multihash());
    }
    store.delete(rawBlock(5, 32).cid());
    expected.remove(rawBlock(5, 32).cid().multihash());
    try (Stream<Multihash> keys = store.keys()) {
      List<Multihash> listed = keys.collect(Collectors.toList());
      assertEquals(expected.size(), listed.size());
      assertEquals(expected, new HashSet<>(listed));
    }
  }

  @Test
  void concurrentOverlappingPutsCountEveryBlockOnce() throws Exception {
    int threads = 4;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * perThread / 2; // each thread overlaps half of the next one's blocks
        boolean batched = t % 2 == 0;
        futures.add(
            pool.submit(
                () -> {
                  List<Block> batch = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    Block b = rawBlock(offset + i, 100 + (offset + i) % 50);
                    if (batched) {
                      batch.add(b);
                      if (batch.size() == 16) {
                        store.putAll(batch);
                        batch.clear();
                      }
                    } else {
                      store.put(b);
                    }
                  }
                  store.putAll(batch);
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int distinct = (threads - 1) * perThread / 2 + perThread;
    long bytes = 0;
    for (int i = 0; i < distinct; i++) {
      bytes += 100 + i % 50;
      assertTrue(store.has(rawBlock(i, 100 + i % 50).cid()), "block " + i);
    }
    assertEquals(distinct, store.size());
    assertEquals(bytes, store.totalBytes());
  }

  @Test
  void aClosedStoreRefusesWork() {
    Block block = text("late");
    store.close();
    assertThrows(IllegalStateException.class, () -> store.put(block));
    assertThrows(IllegalStateException.class, () -> store.get(block.cid()));
    assertThrows(IllegalStateException.class, () -> store.has(block.cid()));
  }

  /** A collection that yields {@code blocks} and then throws, like a failing import source. */
  private static AbstractCollection<Block> failingAfter(List<Block> blocks, RuntimeException e) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<Block> iterator() {
        Iterator<Block> inner = blocks.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Block next() {
            if (inner.hasNext()) {
              return inner.next();
            }
            throw e;
          }
        };
      }

      @Override
      public int size() {
        return blocks.size() + 1;
      }
    };
  }
}
