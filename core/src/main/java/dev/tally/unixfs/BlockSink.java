package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;

/** Where an import puts its blocks: a blockstore, or nowhere for {@code --only-hash}. */
interface BlockSink {
  /** Takes ownership of {@code block}; the caller never touches the array again. */
  void put(Cid cid, byte[] block);

  /** Makes every block put so far durable in the target. */
  void flush();

  static BlockSink discard() {
    return new BlockSink() {
      @Override
      public void put(Cid cid, byte[] block) {}

      @Override
      public void flush() {}
    };
  }

  /**
   * Batches blocks (at most {@code maxBatchBytes} held) so a disk-backed store commits once per
   * batch instead of once per block.
   */
  static BlockSink batching(Blockstore store, int maxBatchBytes) {
    return new BlockSink() {
      private final List<Block> batch = new ArrayList<>();
      private long batchBytes;

      @Override
      public void put(Cid cid, byte[] block) {
        if (cid.multihash().isIdentity()) {
          return;
        }
        batch.add(Block.ofOwned(cid, block));
        batchBytes += block.length;
        if (batchBytes >= maxBatchBytes) {
          flush();
        }
      }

      @Override
      public void flush() {
        if (batch.isEmpty()) {
          return;
        }
        if (batch.size() == 1) {
          store.put(batch.get(0));
        } else {
          store.putAll(List.copyOf(batch));
        }
        batch.clear();
        batchBytes = 0;
      }
    };
  }
}
