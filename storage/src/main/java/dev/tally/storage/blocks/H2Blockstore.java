package dev.tally.storage.blocks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.StorageException;
import dev.tally.storage.UnsignedBytesKeyType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * A {@link Blockstore} in an H2 MVStore file. Three maps: {@code blocks.index} (multihash bytes →
 * {@link Location}), {@code blocks.data} (sequential id → body) and {@code blocks.meta} (format,
 * block count, byte count). Bodies live under sequential ids rather than under their multihash
 * because MVStore rewrites a whole leaf page when one key in it changes: random 256 KiB-valued keys
 * doubled the bytes written in measurements, appending ids does not.
 *
 * <p>Writes are serialised and each {@code put}/{@code putAll} is one MVStore commit, counters
 * included, so a batch is stored entirely or not at all and the counters never drift from the
 * blocks. Auto-commit is off: nothing reaches the file between commits. Prefer {@code putAll} for
 * many blocks: every commit also rewrites the leaf page holding the previous body, which doubles
 * the bytes written when blocks are put one by one. Reads are lock-free. {@link #close()} commits
 * and closes the file, after which the store is durable. Space freed by deletes is not compacted
 * yet (garbage collection comes with pins).
 */
public final class H2Blockstore implements Blockstore {
  /** Default bound of the read cache: 64 MiB of block bodies. */
  public static final long DEFAULT_READ_CACHE_BYTES = 64L << 20;

  private static final int FORMAT = 1;
  private static final String FORMAT_KEY = "format";
  private static final String COUNT_KEY = "blocks";
  private static final String BYTES_KEY = "bytes";

  private final Path file;
  private final MVStore store;
  private final MVMap<byte[], Location> index;
  private final MVMap<Long, byte[]> data;
  private final MVMap<String, Long> meta;
  private final Cache<Multihash, byte[]> cache;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile long count;
  private volatile long bytes;
  private long nextId;
  private volatile boolean closed;

  private H2Blockstore(Path file, MVStore store, long readCacheBytes) {
    this.file = file;
    this.store = store;
    this.index =
        store.openMap(
            "blocks.index",
            new MVMap.Builder<byte[], Location>()
                .keyType(UnsignedBytesKeyType.INSTANCE)
                .valueType(Location.Type.INSTANCE));
    this.data =
        store.openMap(
            "blocks.data",
            new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    this.meta = store.openMap("blocks.meta");
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(readCacheBytes)
            .<Multihash, byte[]>weigher((k, v) -> v.length + 64)
            .build();
    Long format = meta.get(FORMAT_KEY);
    if (format == null && index.isEmpty()) {
      meta.put(FORMAT_KEY, (long) FORMAT);
      store.commit();
    } else if (format == null || format != FORMAT) {
      throw new StorageException(
          "blockstore " + file + " has format " + format + "; this Tally reads format " + FORMAT);
    }
    this.count = meta.getOrDefault(COUNT_KEY, 0L);
    this.bytes = meta.getOrDefault(BYTES_KEY, 0L);
    Long last = data.lastKey();
    this.nextId = last == null ? 0 : last + 1;
  }

  /** Opens (creating if absent) the store in {@code file} with the default read cache. */
  public static H2Blockstore open(Path file) {
    return open(file, DEFAULT_READ_CACHE_BYTES);
  }

  /**
   * Opens (creating if absent) the store in {@code file}.
   *
   * @param readCacheBytes bound on block bodies kept in memory for reads; 0 disables the cache
   * @throws StorageException if the file cannot be opened (held by another process, corrupt, not a
   *     blockstore of this format)
   */
  public static H2Blockstore open(Path file, long readCacheBytes) {
    if (readCacheBytes < 0) {
      throw new IllegalArgumentException("read cache size must be >= 0, got " + readCacheBytes);
    }
    MVStore store;
    try {
      store =
          new MVStore.Builder()
              .fileName(file.toString())
              // Commits happen only where putAll says: a batch must never be half-persisted.
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .open();
    } catch (MVStoreException e) {
      throw new StorageException("cannot open blockstore " + file + ": " + e.getMessage(), e);
    }
    try {
      return new H2Blockstore(file, store, readCacheBytes);
    } catch (StorageException e) {
      store.closeImmediately();
      throw e;
    } catch (MVStoreException | ClassCastException e) {
      // Maps of the expected names but other layouts: some other MVStore file, or a damaged one.
      store.closeImmediately();
      throw new StorageException(
          "cannot open blockstore "
              + file
              + ": not a format "
              + FORMAT
              + " blockstore ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  @Override
  public boolean has(Cid cid) {
    ensureOpen();
    Multihash mh = cid.multihash();
    return mh.isIdentity() || index.containsKey(mh.bytes());
  }

  @Override
  public Optional<Block> get(Cid cid) {
    ensureOpen();
    Multihash mh = cid.multihash();
    if (mh.isIdentity()) {
      return Optional.of(Block.ofOwned(cid, mh.digest()));
    }
    byte[] body = cache.getIfPresent(mh);
    if (body == null) {
      byte[] key = mh.bytes();
      Location at = index.get(key);
      body = at == null ? null : data.get(at.id());
      if (body == null) {
        return Optional.empty();
      }
      cache.put(mh, body);
      // delete() removes the index entry before it invalidates the cache; checking again here
      // means a body cached during a concurrent delete is dropped by one side or the other.
      if (!index.containsKey(key)) {
        cache.invalidate(mh);
        return Optional.empty();
      }
    }
    // The cached array is shared between readers, so every caller gets its own copy.
    return Optional.of(Block.of(cid, body));
  }

  @Override
  public void put(Block block) {
    putAll(List.of(Objects.requireNonNull(block, "block")));
  }

  @Override
  public void putAll(Collection<Block> blocks) {
    ensureOpen();
    // Reading the whole batch first means a failing source stores nothing and holds no lock.
    List<Block> batch = new ArrayList<>(blocks.size());
    for (Block block : blocks) {
      batch.add(Objects.requireNonNull(block, "a batch may not contain null blocks"));
    }
    writeLock.lock();
    try {
      ensureOpen();
      storeBatch(batch);
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs under the write lock: stage every new block, then commit them with the counters. */
  private void storeBatch(List<Block> batch) {
    try {
      long newCount = count;
      long newBytes = bytes;
      long id = nextId;
      for (Block block : batch) {
        Multihash mh = block.cid().multihash();
        if (mh.isIdentity()) {
          continue;
        }
        byte[] key = mh.bytes();
        if (index.containsKey(key)) {
          continue;
        }
        data.put(id, block.bytes());
        index.put(key, new Location(id, block.size()));
        id++;
        newCount++;
        newBytes += block.size();
      }
      if (id == nextId) {
        return;
      }
      meta.put(COUNT_KEY, newCount);
      meta.put(BYTES_KEY, newBytes);
      store.commit();
      nextId = id;
      count = newCount;
      bytes = newBytes;
    } catch (RuntimeException e) {
      throw rollBack("store " + batch.size() + " blocks", e);
    }
  }

  @Override
  public boolean delete(Cid cid) {
    ensureOpen();
    Multihash mh = cid.multihash();
    if (mh.isIdentity()) {
      return false;
    }
    writeLock.lock();
    try {
      ensureOpen();
      Location at = index.remove(mh.bytes());
      if (at == null) {
        return false;
      }
      try {
        data.remove(at.id());
        cache.invalidate(mh);
        meta.put(COUNT_KEY, count - 1);
        meta.put(BYTES_KEY, bytes - at.size());
        store.commit();
      } catch (RuntimeException e) {
        throw rollBack("delete block " + cid, e);
      }
      count--;
      bytes -= at.size();
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public long size() {
    ensureOpen();
    return count;
  }

  @Override
  public long totalBytes() {
    ensureOpen();
    return bytes;
  }

  /**
   * Streams the multihashes of a snapshot of the index (MVStore maps are copy-on-write, so the
   * stream sees the blocks stored when it started, whatever writes follow).
   */
  @Override
  public Stream<Multihash> keys() {
    ensureOpen();
    Iterator<byte[]> keys = index.keyIterator(null);
    Spliterator<byte[]> split =
        Spliterators.spliteratorUnknownSize(
            keys, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
    return StreamSupport.stream(split, false).map(Multihash::decode);
  }

  /** Commits anything pending and closes the file; calling it again does nothing. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      cache.invalidateAll();
      try {
        store.close();
      } catch (MVStoreException e) {
        throw new StorageException("cannot close blockstore " + file + ": " + e.getMessage(), e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Under the write lock: returns every map to the last commit after a failed write. */
  private StorageException rollBack(String what, RuntimeException e) {
    try {
      store.rollback();
    } catch (RuntimeException suppressed) {
      e.addSuppressed(suppressed);
    }
    cache.invalidateAll();
    return new StorageException(
        "cannot " + what + " in blockstore " + file + ": " + e.getMessage(), e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("blockstore " + file + " is closed");
    }
  }
}
