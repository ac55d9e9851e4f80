package dev.tally.storage.gc;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.GcLeases;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Protection of blocks that an operation in flight (an add, a pin walk) has written or relies on,
 * until the pin or root that keeps them is written. Garbage collection deletes a block only after
 * checking, under the same lock, that no lease protects it; a lease closed while a collection runs
 * keeps protecting until that collection ends (its pin may have been written after the collection
 * read the pins).
 *
 * <p>Protect a block <em>before</em> putting or relying on it: then either the collector deleted it
 * first (and the put stores it again) or it sees the protection.
 */
public final class BlockLeases implements GcLeases {
  private final Object lock = new Object();
  private final Set<Lease> open = new HashSet<>();
  private final Set<Lease> watching = new HashSet<>();
  private final List<Set<Multihash>> retained = new ArrayList<>();
  private int collections;

  @Override
  public Lease open() {
    Lease lease = new Lease();
    synchronized (lock) {
      open.add(lease);
    }
    return lease;
  }

  /**
   * A lease that also protects every block put through a {@link #leasing} view while it is open:
   * for fetching a DAG that is pinned once it is whole, when another component (the exchange)
   * stores the fetched blocks. Kubo's {@code pin add} holds the GC lock for the same reason; this
   * lets collections run meanwhile.
   */
  public Lease openWatching() {
    Lease lease = new Lease();
    synchronized (lock) {
      open.add(lease);
      watching.add(lease);
    }
    return lease;
  }

  /**
   * A view of {@code store} whose every put is protected, from before it starts until the end of
   * any collection running when it completes: for a writer that stores blocks and then, under its
   * own lock, moves the root a {@link GcRoots} source reads under that lock (a log's heads). A
   * collection then either reads the moved root or sees the protection.
   */
  public Blockstore leasing(Blockstore store) {
    return new Leasing(store);
  }

  /** One operation's protected blocks. Close it once the pin or root covering them is written. */
  public final class Lease implements GcLeases.Lease {
    private final Set<Multihash> blocks = new HashSet<>();
    private boolean closed;

    private Lease() {}

    @Override
    public void protect(Multihash mh) {
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("lease is closed");
        }
        blocks.add(mh);
      }
    }

    public void protectAll(Collection<Block> batch) {
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("lease is closed");
        }
        for (Block b : batch) {
          blocks.add(b.cid().multihash());
        }
      }
    }

    /** A view of {@code store} that protects every block before it puts it. */
    public Blockstore guard(Blockstore store) {
      return new Guarded(store, this);
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        open.remove(this);
        watching.remove(this);
        if (collections > 0) {
          retained.add(blocks);
        }
      }
    }
  }

  /** A collection starts: from now on closed leases stay in force until it ends. */
  void collectionStarted() {
    synchronized (lock) {
      collections++;
    }
  }

  void collectionEnded() {
    synchronized (lock) {
      if (--collections == 0) {
        retained.clear();
      }
    }
  }

  /**
   * Runs {@code delete} on the candidates no lease protects, holding the lock so no lease can take
   * one of them between the check and the deletion.
   */
  <T> T sweep(Collection<Multihash> candidates, Function<List<Multihash>, T> delete) {
    synchronized (lock) {
      List<Multihash> free = new ArrayList<>(candidates.size());
      for (Multihash mh : candidates) {
        if (!isProtected(mh)) {
          free.add(mh);
        }
      }
      return delete.apply(free);
    }
  }

  private boolean isProtected(Multihash mh) {
    for (Lease l : open) {
      if (l.blocks.contains(mh)) {
        return true;
      }
    }
    for (Set<Multihash> r : retained) {
      if (r.contains(mh)) {
        return true;
      }
    }
    return false;
  }

  private final class Leasing extends Forwarding {
    Leasing(Blockstore store) {
      super(store);
    }

    @Override
    public void put(Block block) {
      putAll(List.of(block));
    }

    @Override
    public void putAll(Collection<Block> blocks) {
      try (Lease lease = open()) {
        lease.protectAll(blocks);
        synchronized (lock) {
          for (Lease w : watching) {
            for (Block b : blocks) {
              w.blocks.add(b.cid().multihash());
            }
          }
        }
        store.putAll(blocks);
      }
    }
  }

  /** Reads, deletes and counts go to the store; the view does not own it. */
  private abstract static class Forwarding implements Blockstore {
    final Blockstore store;

    Forwarding(Blockstore store) {
      this.store = store;
    }

    @Override
    public boolean has(Cid cid) {
      return store.has(cid);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      return store.get(cid);
    }

    @Override
    public boolean delete(Cid cid) {
      return store.delete(cid);
    }

    @Override
    public long size() {
      return store.size();
    }

    @Override
    public long totalBytes() {
      return store.totalBytes();
    }

    @Override
    public Stream<Multihash> keys() {
      return store.keys();
    }

    @Override
    public void close() {}
  }

  private static final class Guarded extends Forwarding {
    private final Lease lease;

    Guarded(Blockstore store, Lease lease) {
      super(store);
      this.lease = lease;
    }

    @Override
    public void put(Block block) {
      lease.protect(block.cid().multihash());
      store.put(block);
    }

    @Override
    public void putAll(Collection<Block> blocks) {
      lease.protectAll(blocks);
      store.putAll(blocks);
    }
  }
}
