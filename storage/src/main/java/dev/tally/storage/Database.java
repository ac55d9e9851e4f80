package dev.tally.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The repo's H2 MVStore file and its single writer. Every change to any map happens inside {@link
 * #write}, which serialises writers and ends in one commit (and normally an fsync), so a commit
 * never carries another writer's half-staged changes (block index entries are staged only after
 * their pack bytes are on disk). Readers use the maps directly, lock-free.
 *
 * <p>MVStore appends every commit at the end of the file (space reuse is off: see ADR 005), so the
 * file only grows. Once it is mostly dead space the database {@linkplain #rewrite rewrites} itself:
 * every registered {@link DbMap} is copied into a fresh file, which is synced and renamed over the
 * old one, and the maps switch to it. Writers wait meanwhile; readers keep reading.
 */
public final class Database implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Database.class.getName());

  /** Suffix of the file a rewrite builds; one left behind by a crash is deleted on open. */
  static final String REWRITE_SUFFIX = ".rewrite";

  /** Commits between two checks of whether the file is worth rewriting. */
  private static final int CHECK_EVERY = 256;

  private final Path file;
  private final RewritePolicy policy;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, DbMap<?, ?>> maps = new LinkedHashMap<>();
  private final List<MVStore> retired = new ArrayList<>();
  private volatile MVStore store;
  private volatile boolean closed;
  private int commitsSinceCheck = CHECK_EVERY;
  private long rewrites;

  /**
   * When to rewrite: the file is at least {@code minBytes} and its live data (MVStore's estimate)
   * is under {@code 1 / deadFactor} of it.
   */
  public record RewritePolicy(long minBytes, int deadFactor) {
    public static final RewritePolicy DEFAULT = new RewritePolicy(64L << 20, 4);

    public RewritePolicy {
      if (minBytes < 0 || deadFactor < 2) {
        throw new IllegalArgumentException(
            "rewrite policy needs minBytes >= 0 and deadFactor >= 2, got "
                + minBytes
                + ", "
                + deadFactor);
      }
    }
  }

  private Database(Path file, MVStore store, RewritePolicy policy) {
    this.file = file;
    this.store = store;
    this.policy = policy;
  }

  /**
   * Opens (creating if absent) the database file.
   *
   * @throws StorageException if it cannot be opened (held by another process, corrupt)
   */
  public static Database open(Path file) {
    return open(file, RewritePolicy.DEFAULT);
  }

  /** As {@link #open(Path)}, rewriting the file by {@code policy}. */
  public static Database open(Path file, RewritePolicy policy) {
    try {
      // A rewrite killed before its rename: the original is intact, the copy is garbage.
      Files.deleteIfExists(rewritePath(file));
    } catch (IOException e) {
      throw new StorageException("cannot remove " + rewritePath(file) + ": " + e.getMessage(), e);
    }
    return new Database(file, openStore(file, file), policy);
  }

  private static Path rewritePath(Path file) {
    return file.resolveSibling(file.getFileName() + REWRITE_SUFFIX);
  }

  private static MVStore openStore(Path path, Path named) {
    try {
      MVStore store =
          new MVStore.Builder()
              .fileName(path.toString())
              // Commits happen only in write(): a batch must never be half-persisted.
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .autoCompactFillRate(0)
              .open();
      // Append every chunk at the end of the file: with space reuse on, the crash harness saw
      // MVStore reopen a killed store at an older commit (a synced pin and index entries gone).
      store.setReuseSpace(false);
      return store;
    } catch (MVStoreException e) {
      throw new StorageException("cannot open database " + named + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens (creating if absent) the map {@code name} with the key and value types {@code builder}
   * gives, registered so that a {@linkplain #rewrite rewrite} carries it over. Opening a name twice
   * returns the same map.
   */
  @SuppressWarnings("unchecked")
  public <K, V> DbMap<K, V> map(String name, Supplier<MVMap.Builder<K, V>> builder) {
    writeLock.lock();
    try {
      ensureOpen();
      return (DbMap<K, V>) maps.computeIfAbsent(name, n -> new DbMap<>(n, builder, store));
    } finally {
      writeLock.unlock();
    }
  }

  public Path file() {
    return file;
  }

  /**
   * The current store, for maps that do not outlive a rewrite (a migration's, a test's). While it
   * has a map not opened through {@link #map}, the database is never rewritten.
   */
  public MVStore mvstore() {
    return store;
  }

  /** How many times this database rewrote its file since it was opened. */
  public long rewrites() {
    writeLock.lock();
    try {
      return rewrites;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code change} as the only writer, then commits and syncs. If it throws, every map returns
   * to the last commit and the exception propagates (H2's own errors wrapped in {@link
   * StorageException}).
   */
  public <T> T write(String what, Supplier<T> change) {
    return write(what, true, change);
  }

  /**
   * As {@link #write(String, Supplier)}; without {@code sync} the commit reaches the OS (it
   * survives the process being killed) but not necessarily the disk. Only changes that can be
   * rebuilt from other durable data after a power cut may skip the sync (block index entries can:
   * their pack records are fsynced and self-describing).
   */
  public <T> T write(String what, boolean sync, Supplier<T> change) {
    writeLock.lock();
    try {
      ensureOpen();
      try {
        T result = change.get();
        store.commit();
        if (sync) {
          store.sync();
        }
        if (++commitsSinceCheck >= CHECK_EVERY) {
          commitsSinceCheck = 0;
          if (worthRewriting()) {
            rewriteLocked();
          }
        }
        return result;
      } catch (RuntimeException e) {
        try {
          store.rollback();
        } catch (RuntimeException suppressed) {
          // A store that panicked (H2 closes itself on an OutOfMemoryError) rethrows its panic
          // from rollback: the same instance, which cannot suppress itself.
          if (suppressed != e) {
            e.addSuppressed(suppressed);
          }
        }
        if (!(e instanceof MVStoreException)) {
          throw e;
        }
        throw new StorageException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** MVStore's estimate of live bytes: occupied blocks times the live share of their chunks. */
  private boolean worthRewriting() {
    long size = store.getFileStore().size();
    if (size < policy.minBytes()) {
      return false;
    }
    long live =
        size
            * store.getFileStore().getFillRate()
            / 100
            * Math.max(1, store.getFileStore().getChunksFillRate())
            / 100;
    return live * policy.deadFactor() < size && onlyRegisteredMaps();
  }

  private boolean onlyRegisteredMaps() {
    for (String name : store.getMapNames()) {
      if (!maps.containsKey(name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies every registered map into a fresh file, syncs it, renames it over this one and switches
   * the maps to it; the old file's bytes stay readable by readers that are mid-way until the next
   * rewrite or {@link #close}. A crash before the rename leaves the old file (and a copy that the
   * next open deletes); after it, the new one, complete. Does nothing while the store has a map not
   * opened through {@link #map} (a migration's: it would be lost).
   *
   * @return whether the file was rewritten
   */
  public boolean rewrite() {
    writeLock.lock();
    try {
      ensureOpen();
      if (!onlyRegisteredMaps()) {
        return false;
      }
      rewriteLocked();
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void rewriteLocked() {
    long before = store.getFileStore().size();
    long start = System.nanoTime();
    Path tmp = rewritePath(file);
    MVStore fresh = null;
    try {
      Files.deleteIfExists(tmp);
      fresh = openStore(tmp, file);
      List<MVMap<?, ?>> moved = new ArrayList<>();
      for (DbMap<?, ?> m : maps.values()) {
        moved.add(m.copyInto(fresh));
      }
      fresh.commit();
      fresh.sync();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file.toAbsolutePath().getParent());
      int i = 0;
      for (DbMap m : maps.values()) {
        m.publish((MVMap) moved.get(i++));
      }
    } catch (IOException | RuntimeException e) {
      if (fresh != null) {
        fresh.closeImmediately();
      }
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      // The old file is untouched and still current: keep going on it.
      LOG.log(System.Logger.Level.WARNING, "cannot rewrite database " + file, e);
      return;
    }
    closeRetired();
    retired.add(store);
    store = fresh;
    rewrites++;
    LOG.log(
        System.Logger.Level.DEBUG,
        "rewrote database {0}: {1} -> {2} bytes in {3} ms",
        file,
        before,
        fresh.getFileStore().size(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The stores earlier rewrites left for readers that were mid-way; their file is unlinked. */
  private void closeRetired() {
    for (MVStore old : retired) {
      // Its file was renamed over: closing normally would write a last chunk nobody reads.
      old.closeImmediately();
    }
    retired.clear();
  }

  /** Whether the calling thread is inside {@link #write}. */
  public boolean isWriting() {
    return writeLock.isHeldByCurrentThread();
  }

  public void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("database " + file + " is closed");
    }
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
      closeRetired();
      store.close();
    } catch (MVStoreException e) {
      throw new StorageException("cannot close database " + file + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }
}
