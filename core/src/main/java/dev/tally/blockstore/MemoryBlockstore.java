package dev.tally.blockstore;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A {@link Blockstore} in a concurrent hash map, for tests, {@code --only-hash} imports and caches.
 * Thread-safe; {@link #keys()} is weakly consistent (it sees some concurrent changes, never fails).
 */
public final class MemoryBlockstore implements Blockstore {
  // Blocks are immutable and never expose their array, so storing them as given is safe and spares
  // a copy of every block on put (a whole file's worth of memory traffic during an import).
  private final ConcurrentHashMap<Multihash, Block> blocks = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private volatile boolean closed;

  @Override
  public boolean has(Cid cid) {
    ensureOpen();
    Multihash mh = cid.multihash();
    return mh.isIdentity() || blocks.containsKey(mh);
  }

  @Override
  public Optional<Block> get(Cid cid) {
    ensureOpen();
    Multihash mh = cid.multihash();
    if (mh.isIdentity()) {
      return Optional.of(Block.ofOwned(cid, mh.digest()));
    }
    Block stored = blocks.get(mh);
    if (stored == null) {
      return Optional.empty();
    }
    return Optional.of(stored.cid().equals(cid) ? stored : Block.ofOwned(cid, stored.bytes()));
  }

  @Override
  public void put(Block block) {
    ensureOpen();
    store(Objects.requireNonNull(block, "block"));
  }

  /** Checks every element before storing any, so a bad batch leaves the store unchanged. */
  @Override
  public void putAll(Collection<Block> batch) {
    ensureOpen();
    List<Block> checked = new ArrayList<>(batch.size());
    for (Block block : batch) {
      checked.add(Objects.requireNonNull(block, "a batch may not contain null blocks"));
    }
    checked.forEach(this::store);
  }

  private void store(Block block) {
    Multihash mh = block.cid().multihash();
    if (mh.isIdentity()) {
      return;
    }
    if (blocks.putIfAbsent(mh, block) == null) {
      totalBytes.addAndGet(block.size());
    }
  }

  @Override
  public boolean delete(Cid cid) {
    ensureOpen();
    Block removed = blocks.remove(cid.multihash());
    if (removed == null) {
      return false;
    }
    totalBytes.addAndGet(-removed.size());
    return true;
  }

  @Override
  public long size() {
    ensureOpen();
    return blocks.mappingCount();
  }

  @Override
  public long totalBytes() {
    ensureOpen();
    return totalBytes.get();
  }

  @Override
  public Stream<Multihash> keys() {
    ensureOpen();
    return blocks.keySet().stream();
  }

  /** Drops every block; further calls fail. */
  @Override
  public void close() {
    closed = true;
    blocks.clear();
    totalBytes.set(0);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("memory blockstore is closed");
    }
  }
}
