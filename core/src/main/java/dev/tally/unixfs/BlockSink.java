package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.multiformats.Cid;

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
   * Batches blocks (at most two batches of {@code maxBatchBytes} held) so a disk-backed store
   * commits once per batch, on a writer thread that overlaps the importer's reading and hashing.
   */
  static BlockSink batching(Blockstore store, int maxBatchBytes) {
    return new WriteBehindSink(store, maxBatchBytes);
  }
}
