package dev.tally.storage.gc;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.StorageException;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.dag.BlockFetcher;
import dev.tally.storage.dag.DagWalker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Mark and sweep over a {@link PackBlockstore}: marks every block reachable from the {@link
 * GcRoots} (read once, at the start; a log keeps its own structure, not what its records name: ADR
 * 026), then deletes the unmarked blocks in batches that {@link BlockLeases} filters, so adds and
 * pins keep running; finally compacts sparse packs so the disk space comes back. No global lock:
 * readers and writers only wait for one batch's commit.
 *
 * <p>If a block under a root cannot be read, nothing is deleted (its links are unknown, so blocks
 * it keeps could look unreachable), as Kubo does.
 */
public final class GarbageCollector {
  /** Blocks deleted per commit: large, because every commit rewrites the index pages it touches. */
  static final int SWEEP_BATCH = 65_536;

  /** Packs whose live bytes fell under this share are rewritten after a sweep. */
  public static final double COMPACT_BELOW = 0.5;

  private final PackBlockstore store;
  private final BlockLeases leases;
  private final List<GcRoots> roots = new CopyOnWriteArrayList<>();
  private final ReentrantLock running = new ReentrantLock();

  public GarbageCollector(PackBlockstore store, BlockLeases leases) {
    this.store = store;
    this.leases = leases;
  }

  /** Adds a source of roots (pins, log heads, MFS) for every later collection. */
  public void addRoots(GcRoots source) {
    roots.add(source);
  }

  /** What a collection reports as it goes. */
  public interface Listener {
    /** A block was deleted; named as Kubo names them, CIDv1 raw of its multihash. */
    default void removed(Cid cid) {}

    default void error(String message) {}
  }

  /** What a collection did. */
  public record Result(
      long removedBlocks,
      long removedBytes,
      long keptBlocks,
      long packBytesFreed,
      double seconds) {}

  /**
   * Runs one collection (collections are serialised).
   *
   * @throws GcException if marking failed (a root's block missing or undecodable): nothing deleted
   */
  public Result collect(Listener listener) {
    long start = System.nanoTime();
    running.lock();
    leases.collectionStarted();
    try {
      Set<Multihash> live = mark(listener);
      long removed = 0;
      long bytes = 0;
      List<Multihash> batch = new ArrayList<>(SWEEP_BATCH);
      try (Stream<Multihash> keys = store.keys()) {
        Iterator<Multihash> it = keys.iterator();
        while (it.hasNext()) {
          Multihash mh = it.next();
          if (!live.contains(mh)) {
            batch.add(mh);
            if (batch.size() == SWEEP_BATCH) {
              PackBlockstore.Removed r = sweep(batch, listener);
              removed += r.count();
              bytes += r.bytes();
              batch.clear();
            }
          }
        }
      }
      PackBlockstore.Removed r = sweep(batch, listener);
      removed += r.count();
      bytes += r.bytes();
      long freed = store.compact(COMPACT_BELOW).bytesFreed();
      // Deleted keys keep their filter bits; a mostly stale filter is rebuilt from the index.
      store.refreshFilter();
      return new Result(removed, bytes, store.size(), freed, (System.nanoTime() - start) / 1e9);
    } finally {
      leases.collectionEnded();
      running.unlock();
    }
  }

  private PackBlockstore.Removed sweep(List<Multihash> batch, Listener listener) {
    if (batch.isEmpty()) {
      return new PackBlockstore.Removed(0, 0, List.of());
    }
    PackBlockstore.Removed r = leases.sweep(batch, store::deleteAll);
    for (Multihash mh : r.multihashes()) {
      listener.removed(Cid.v1(Multicodec.RAW, mh));
    }
    return r;
  }

  private Set<Multihash> mark(Listener listener) {
    Set<Multihash> live = new HashSet<>();
    DagWalker walker = new DagWalker(store, BlockFetcher.OFFLINE);
    for (GcRoots source : roots) {
      for (Cid root : source.recursiveRoots()) {
        try {
          walker.walk(root, false, cid -> live.add(cid.multihash()));
        } catch (StorageException e) {
          String message = "could not walk the DAG of root " + root + ": " + e.getMessage();
          listener.error(message);
          throw new GcException("garbage collection aborted, nothing was removed: " + message, e);
        }
      }
      for (Cid root : source.directRoots()) {
        live.add(root.multihash());
      }
      try {
        source.markOwn(store, cid -> live.add(cid.multihash()));
      } catch (GcException e) {
        listener.error(e.getMessage());
        throw new GcException(
            "garbage collection aborted, nothing was removed: " + e.getMessage(), e);
      }
    }
    return live;
  }
}
