package dev.tally.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.MVStoreTool;

/**
 * The repo's H2 MVStore file and its single writer. Every change to any map happens inside {@link
 * #write}, which serialises writers and ends in one commit (and normally an fsync), so a commit
 * never carries another writer's half-staged changes (block index entries are staged only after
 * their pack bytes are on disk). Readers use the maps directly, lock-free.
 *
 * <p>MVStore appends every commit's chunk at the end of the file (space reuse is off, see ADR 005),
 * so the file grows with every commit. {@link #open} therefore rewrites a file that is mostly dead
 * chunks into a fresh one holding only the live pages, and swaps it in with an atomic rename
 * ({@link #compact}): a crash at any point leaves either the old file or the complete new one.
 */
public final class Database implements AutoCloseable {
  /** A file smaller than this is never rewritten on open: the rewrite would gain little. */
  public static final long COMPACT_MIN_BYTES = 16L << 20;

  /** A file whose live chunks fill less than this share of it is rewritten on open. */
  public static final int COMPACT_BELOW_FILL_PERCENT = 50;

  private static final String COMPACT_SUFFIX = ".compact";

  private final Path file;
  private final MVStore store;
  private final long compactedFrom;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile boolean closed;

  private Database(Path file, MVStore store, long compactedFrom) {
    this.file = file;
    this.store = store;
    this.compactedFrom = compactedFrom;
  }

  /**
   * Opens (creating if absent) the database file, first rewriting it if it is larger than {@link
   * #COMPACT_MIN_BYTES} and its live chunks fill less than {@link #COMPACT_BELOW_FILL_PERCENT}
   * percent of it.
   *
   * @throws StorageException if it cannot be opened (held by another process, corrupt)
   */
  public static Database open(Path file) {
    try {
      // A rewrite that a crash interrupted: the original was never replaced, so the copy goes.
      Files.deleteIfExists(compactPath(file));
    } catch (IOException e) {
      throw new StorageException("cannot remove " + compactPath(file) + ": " + e, e);
    }
    MVStore store = openStore(file);
    long size = store.getFileStore().size();
    if (size < COMPACT_MIN_BYTES
        || store.getFileStore().getChunksFillRate() >= COMPACT_BELOW_FILL_PERCENT) {
      return new Database(file, store, 0);
    }
    store.close();
    compact(file);
    return new Database(file, openStore(file), size);
  }

  private static MVStore openStore(Path file) {
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
      return store;
    } catch (MVStoreException e) {
      throw new StorageException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path compactPath(Path file) {
    return file.resolveSibling(file.getFileName() + COMPACT_SUFFIX);
  }

  /**
   * Rewrites a closed database file with only its live pages: copies every map into {@code
   * FILE.compact}, fsyncs it, renames it over the original atomically and fsyncs the directory.
   * Killed before the rename, the original is intact (and the copy is deleted on the next open);
   * after it, the new file is complete. The caller must hold the repo lock.
   *
   * @throws StorageException if the copy or the rename fails (the original is then kept)
   */
  public static void compact(Path file) {
    Path tmp = compactPath(file);
    try {
      Files.deleteIfExists(tmp);
      MVStoreTool.compact(file.toString(), tmp.toString(), false);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent())) {
        dir.force(true);
      }
    } catch (IOException | MVStoreException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new StorageException("cannot compact database " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file's size before {@link #open} rewrote it, or 0 if it was not rewritten. */
  public long compactedFrom() {
    return compactedFrom;
  }

  /** Bytes of the database file on disk (live and dead chunks). */
  public long fileBytes() {
    return store.getFileStore().size();
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
