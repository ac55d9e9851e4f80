package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batches blocks and commits each full batch on a writer thread while the importer reads and hashes
 * the next one, so a disk-backed store's commit (an fsync per batch) overlaps the CPU work instead
 * of stalling it. At most two batches are held: one being written, one filling.
 */
final class WriteBehindSink implements BlockSink {
  /** Shared, idle threads exit after a minute: imports are bursty and rarely concurrent. */
  private static final ExecutorService WRITERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tally-import-writer");
            t.setDaemon(true);
            return t;
          });

  private final Blockstore store;
  private final int maxBatchBytes;
  private List<Block> batch = new ArrayList<>();
  private long batchBytes;
  private Future<?> writing;

  WriteBehindSink(Blockstore store, int maxBatchBytes) {
    this.store = store;
    this.maxBatchBytes = maxBatchBytes;
  }

  @Override
  public void put(Cid cid, byte[] block) {
    if (cid.multihash().isIdentity()) {
      return;
    }
    batch.add(Block.ofOwned(cid, block));
    batchBytes += block.length;
    if (batchBytes >= maxBatchBytes) {
      handOff();
    }
  }

  @Override
  public void flush() {
    handOff();
    awaitWriting();
  }

  private void handOff() {
    if (batch.isEmpty()) {
      return;
    }
    awaitWriting();
    List<Block> full = batch;
    batch = new ArrayList<>();
    batchBytes = 0;
    writing =
        WRITERS.submit(
            () -> {
              if (full.size() == 1) {
                store.put(full.get(0));
              } else {
                store.putAll(full);
              }
            });
  }

  /** Waits for the batch in flight; its failure (disk full, store closed) surfaces here. */
  private void awaitWriting() {
    if (writing == null) {
      return;
    }
    Future<?> w = writing;
    writing = null;
    boolean interrupted = false;
    while (true) {
      try {
        w.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new UnixfsException("storing imported blocks failed: " + cause, cause);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
