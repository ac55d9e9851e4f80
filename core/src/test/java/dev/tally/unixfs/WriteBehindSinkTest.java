package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.util.Collection;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WriteBehindSinkTest {
  private static byte[] randomBlock(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  /** A store whose writes fail, as a full disk makes them. */
  private static final class FullDisk implements Blockstore {
    private final MemoryBlockstore reads = new MemoryBlockstore();

    @Override
    public boolean has(Cid cid) {
      return reads.has(cid);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      return reads.get(cid);
    }

    @Override
    public void put(Block block) {
      throw new IllegalStateException("disk full (simulated)");
    }

    @Override
    public void putAll(Collection<Block> blocks) {
      throw new IllegalStateException("disk full (simulated)");
    }

    @Override
    public boolean delete(Cid cid) {
      return reads.delete(cid);
    }

    @Override
    public long size() {
      return reads.size();
    }

    @Override
    public long totalBytes() {
      return reads.totalBytes();
    }

    @Override
    public Stream<Multihash> keys() {
      return reads.keys();
    }

    @Override
    public void close() {
      reads.close();
    }
  }

  @Test
  void everyBlockIsStoredOnceFlushReturns() {
    MemoryBlockstore store = new MemoryBlockstore();
    BlockSink sink = BlockSink.batching(store, 1 << 20);
    Random random = new Random(1);
    for (int i = 0; i < 40; i++) {
      byte[] data = randomBlock(random, 100_000);
      sink.put(Cid.v1(Multicodec.RAW, Multihash.sha256(data)), data);
    }
    sink.flush();
    assertEquals(40, store.size());
  }

  @Test
  void aFailedBackgroundWriteSurfacesInTheImporter() {
    Blockstore failing = new FullDisk();
    BlockSink sink = BlockSink.batching(failing, 1 << 20);
    Random random = new Random(2);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> {
              for (int i = 0; i < 40; i++) {
                byte[] data = randomBlock(random, 100_000);
                sink.put(Cid.v1(Multicodec.RAW, Multihash.sha256(data)), data);
              }
              sink.flush();
            });
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
  }
}
