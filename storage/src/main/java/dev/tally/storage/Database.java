package dev.tally.storage;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The repo's H2 MVStore file and its single writer. Every change to any map happens inside {@link
 * #write}, which serialises writers and ends in one commit (and normally an fsync), so a commit
 * never carries another writer's half-staged changes (block index entries are staged only after
 * their pack bytes are on disk). Readers use the maps directly, lock-free.
 */
public final class Database implements AutoCloseable {
  private final Path file;
  private final MVStore store;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean closed;

  private Database(Path file, MVStore store) {
    this.file = file;
    this.store = store;
  }

  /**
   * Opens (creating if absent) the database file.
   *
   * @throws StorageException if it cannot be opened (held by another process, corrupt)
   */
  public static Database open(Path file) {
    try {
      MVStore store =
          new MVStore.Builder()
              .fileName(file.toString())
              // Commits happen only in write(): a batch must never be half-persisted.
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .autoCompactFillRate(0)
              .open();
      // Append every chunk at the end of the file: with space reuse on, the crash harness saw
      // MVStore reopen a killed store at an older commit (a synced pin and index entries gone).
      store.setReuseSpace(false);
      return new Database(file, store);
    } catch (MVStoreException e) {
      throw new StorageException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The store, for opening maps; change maps only inside {@link #write}. */
  public MVStore mvstore() {
    return store;
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
        return result;
      } catch (RuntimeException e) {
        try {
          store.rollback();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
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
      store.close();
    } catch (MVStoreException e) {
      throw new StorageException("cannot close database " + file + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }
}
