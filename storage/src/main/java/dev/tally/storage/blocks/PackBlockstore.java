package dev.tally.storage.blocks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.Database;
import dev.tally.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link Blockstore} that appends block bodies to pack files ({@link PackFiles}) and keeps the
 * index (multihash → pack, offset, size), per-pack lengths and the counters in the repo's H2 {@link
 * Database} ({@link PackIndex}). See {@code docs/adr/005-block-storage-layout.md} for the
 * measurements behind the layout.
 *
 * <p>Durability: a {@code putAll} appends its records, fsyncs the packs, and only then stages the
 * index entries and commits them (one commit with the counters and pack lengths). So the index
 * never points past durable data, an acknowledged batch survives a crash, and bytes appended by a
 * batch that never committed are cut off on the next open ({@link PackRecovery}). Every read checks
 * the record's CRC-32C and refuses a corrupt body with {@link CorruptBlockException}.
 *
 * <p>Space: {@link #deleteAll} drops index entries and counts each pack's live bytes; {@link
 * #compact} ({@link PackCompactor}) copies the live records out of packs whose live ratio fell
 * below a threshold and deletes those packs. Reads are lock-free and retry if compaction moves a
 * block under them.
 */
public final class PackBlockstore implements Blockstore {
  /** The database file name when the store owns its database (tests, benchmarks). */
  public static final String OWN_DATABASE = "index.mv.db";

  private final Database db;
  private final boolean ownsDb;
  private final PackIndex index;
  private final PackFiles files;
  private final PackCompactor compactor;
  private final Cache<Multihash, byte[]> cache;
  private final PackRecovery.Result recovery;
  private final java.util.concurrent.atomic.AtomicInteger readerFiles =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;

  private PackBlockstore(Database db, boolean ownsDb, Path dir, PackOptions options)
      throws IOException {
    this.db = db;
    this.ownsDb = ownsDb;
    this.index = PackIndex.open(db);
    this.files = new PackFiles(dir, options);
    this.compactor = new PackCompactor(index, files, this::ensureOpen);
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(options.readCacheBytes())
            .<Multihash, byte[]>weigher((k, v) -> v.length + 64)
            .build();
    Files.createDirectories(dir);
    this.recovery = PackRecovery.run(index, files);
    index.rebuildFilter();
  }

  /** Opens the store with its own database ({@value #OWN_DATABASE}) in {@code dir}. */
  public static PackBlockstore open(Path dir, PackOptions options) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create blockstore directory " + dir, e);
    }
    Database db = Database.open(dir.resolve(OWN_DATABASE));
    try {
      return open(db, true, dir, options);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Opens the store with its index in {@code db} (shared with pins) and packs in {@code dir}. */
  public static PackBlockstore open(Database db, Path dir, PackOptions options) {
    return open(db, false, dir, options);
  }

  private static PackBlockstore open(Database db, boolean owns, Path dir, PackOptions options) {
    try {
      return new PackBlockstore(db, owns, dir, options);
    } catch (IOException e) {
      throw new StorageException("cannot open blockstore packs in " + dir + ": " + e, e);
    }
  }

  /** Bytes cut from pack tails on open: torn records of batches that were never acknowledged. */
  public long truncatedOnOpen() {
    return recovery.truncated();
  }

  /** Whole records found past the committed length on open and indexed again. */
  public long recoveredOnOpen() {
    return recovery.recovered();
  }

  /** Whether the current pack's appends bypass the page cache ({@code O_DIRECT}, ADR 024). */
  public boolean writesDirect() {
    return files.activeId().flatMap(files::file).map(PackFile::writesDirect).orElse(false);
  }

  public Path directory() {
    return files.dir();
  }

  /** Whether the block is stored; an absent one is usually answered by the in-memory filter. */
  @Override
  public boolean has(Cid cid) {
    return has(cid.multihash());
  }

  /** Whether the block is stored, by multihash (identity multihashes are always "stored"). */
  public boolean has(Multihash mh) {
    ensureOpen();
    return mh.isIdentity() || index.contains(mh.bytes());
  }

  /**
   * How many look-ups ({@code has}, {@code get}, a put's duplicate check) the filter passed on to
   * the index since open: every present key, plus the filter's false positives among absent ones.
   */
  public long indexLookups() {
    return index.lookups();
  }

  /**
   * Rebuilds the absent-key filter from the index if the store outgrew it or deletes left it mostly
   * stale; writers keep going meanwhile. Returns whether it was rebuilt.
   */
  public boolean refreshFilter() {
    ensureOpen();
    return index.refreshFilter();
  }

  /** Rebuilds the filter from the index now (tests race it against writers). */
  boolean rebuildFilter() {
    return index.rebuildFilter();
  }

  /**
   * The block, checked against the CRC written with it.
   *
   * @throws CorruptBlockException if its bytes on disk changed since they were written
   */
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
      Optional<byte[]> read = read(cid, key);
      if (read.isEmpty()) {
        return Optional.empty();
      }
      body = read.get();
      cache.put(mh, body);
      // deleteAll() removes index entries before it invalidates the cache; checking again here
      // means a body cached during a concurrent delete is dropped by one side or the other.
      if (!index.containsExactly(key)) {
        cache.invalidate(mh);
        return Optional.empty();
      }
    }
    // The cached array is shared between readers without a copy: a Block never exposes its array
    // mutably, and nothing else writes a cached body.
    return Optional.of(Block.ofOwned(cid, body));
  }

  private Optional<byte[]> read(Cid cid, byte[] key) {
    // Compaction may move a record and close its old pack between our index look-up and the read;
    // looking up again finds it in its new pack.
    for (int attempt = 0; attempt < 8; attempt++) {
      Optional<PackLocation> found = index.locate(key);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      PackLocation at = found.get();
      Optional<PackFile> f = files.file(at.pack());
      if (f.isEmpty()) {
        ensureOpen();
        continue;
      }
      try {
        return Optional.of(PackFiles.readRecord(f.get(), at, key, cid));
      } catch (ClosedChannelException e) {
        ensureOpen();
      } catch (IOException e) {
        throw new CorruptBlockException(
            cid,
            "cannot read block " + cid + " from " + f.get().path + " at " + at.offset() + ": " + e,
            e);
      }
    }
    throw new StorageException("block " + cid + " kept moving while it was read; retry");
  }

  /**
   * Block bodies as checked ranges of pack files, for a sender that passes them to the kernel
   * without copying (ADR 044). The caller closes it once nothing reads the ranges any more.
   */
  public BlockFiles files() {
    ensureOpen();
    return new PackReader(index, files, this::ensureOpen, readerFiles);
  }

  /** Pack descriptors that {@link #files} readers hold open now (leak checks in tests). */
  public int readerFilesOpen() {
    return readerFiles.get();
  }

  @Override
  public void put(Block block) {
    putAll(List.of(Objects.requireNonNull(block, "block")));
  }

  /**
   * Stores every block or none, durably, when it returns: records appended and fsynced, then the
   * index committed.
   *
   * @throws StorageFullException if the disk or the configured capacity is full (nothing stored)
   */
  @Override
  public void putAll(Collection<Block> blocks) {
    ensureOpen();
    // Reading the whole batch first means a failing source stores nothing and holds no lock.
    Map<Multihash, Block> batch = new LinkedHashMap<>();
    for (Block block : blocks) {
      Objects.requireNonNull(block, "a batch may not contain null blocks");
      Multihash mh = block.cid().multihash();
      if (!mh.isIdentity()) {
        batch.putIfAbsent(mh, block);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    // No database fsync: the packs were fsynced and their records rebuild the index on open.
    long[] added =
        db.write(
            "store " + batch.size() + " blocks",
            false,
            () -> {
              ensureOpen();
              List<byte[]> keys = new ArrayList<>();
              List<ByteBuffer> bodies = new ArrayList<>();
              for (Map.Entry<Multihash, Block> e : batch.entrySet()) {
                byte[] key = e.getKey().bytes();
                if (!index.contains(key)) {
                  keys.add(key);
                  bodies.add(e.getValue().buffer());
                }
              }
              if (keys.isEmpty()) {
                return new long[] {0, 0};
              }
              long sum = 0;
              for (ByteBuffer b : bodies) {
                sum += b.remaining();
              }
              index.stageAppended(keys, files.append(keys, bodies), Map.of());
              index.stageCounters(keys.size(), sum);
              return new long[] {keys.size(), sum};
            });
    index.applyCounters(added[0], added[1]);
    index.refreshFilter();
  }

  @Override
  public boolean delete(Cid cid) {
    Multihash mh = cid.multihash();
    return !mh.isIdentity() && deleteAll(List.of(mh)).count() == 1;
  }

  /** What a {@link #deleteAll} removed. */
  public record Removed(long count, long bytes, List<Multihash> multihashes) {}

  /** Removes the blocks in one commit; absent ones are skipped. Pack space is freed by compact. */
  public Removed deleteAll(Collection<Multihash> multihashes) {
    ensureOpen();
    Removed removed =
        db.write(
            "delete " + multihashes.size() + " blocks",
            () -> {
              ensureOpen();
              Map<Integer, Long> dead = new HashMap<>();
              List<Multihash> gone = new ArrayList<>();
              long n = 0;
              long sum = 0;
              for (Multihash mh : multihashes) {
                if (mh.isIdentity()) {
                  continue;
                }
                byte[] key = mh.bytes();
                Optional<PackLocation> at = index.stageRemove(key);
                if (at.isEmpty()) {
                  continue;
                }
                dead.merge(
                    at.get().pack(),
                    (long) PackRecord.length(key.length, at.get().size()),
                    Long::sum);
                gone.add(mh);
                n++;
                sum += at.get().size();
              }
              for (Map.Entry<Integer, Long> d : dead.entrySet()) {
                PackInfo old = index.pack(d.getKey()).orElseThrow();
                index.stagePack(
                    d.getKey(), new PackInfo(old.length(), old.liveBytes() - d.getValue()));
              }
              if (n > 0) {
                index.stageCounters(-n, -sum);
              }
              return new Removed(n, sum, List.copyOf(gone));
            });
    removed.multihashes().forEach(cache::invalidate);
    index.applyCounters(-removed.count(), -removed.bytes());
    return removed;
  }

  /** What a {@link #compact} did. */
  public record Compaction(int packsRemoved, long bytesFreed, long recordsMoved) {}

  /**
   * Rewrites every pack whose live ratio is below {@code maxLiveRatio} (the current one is retired
   * first) and deletes it; see {@link PackCompactor}.
   */
  public Compaction compact(double maxLiveRatio) {
    ensureOpen();
    return compactor.compact(maxLiveRatio);
  }

  /**
   * Reads every stored block, checks its CRC and re-hashes it against its multihash; reports each
   * bad one to {@code problems} (multihash, what is wrong) and returns how many were checked.
   */
  public long verify(BiConsumer<Multihash, String> problems) {
    ensureOpen();
    long checked = 0;
    Iterator<byte[]> keys = index.keys();
    while (keys.hasNext()) {
      byte[] key = keys.next();
      Multihash mh = Multihash.decode(key);
      Cid cid = Cid.v1(Multicodec.RAW, mh);
      checked++;
      try {
        Optional<byte[]> body = read(cid, key);
        if (body.isPresent() && !mh.matches(body.get())) {
          problems.accept(mh, "its bytes hash to another multihash");
        }
      } catch (CorruptBlockException e) {
        problems.accept(mh, e.getMessage());
      } catch (MultiformatException e) {
        problems.accept(mh, "cannot re-hash: " + e.getMessage());
      }
    }
    return checked;
  }

  @Override
  public long size() {
    ensureOpen();
    return index.count();
  }

  @Override
  public long totalBytes() {
    ensureOpen();
    return index.bytes();
  }

  /** Bytes of pack files on disk (records live and dead, plus headers). */
  public long packBytes() {
    return files.packBytes();
  }

  /**
   * Streams the multihashes of a snapshot of the index (MVStore maps are copy-on-write, so the
   * stream sees the blocks stored when it started, whatever writes follow).
   */
  @Override
  public Stream<Multihash> keys() {
    ensureOpen();
    Spliterator<byte[]> split =
        Spliterators.spliteratorUnknownSize(
            index.keys(), Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
    return StreamSupport.stream(split, false).map(Multihash::decode);
  }

  /** Closes the packs (and the database if this store owns it); calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    List<IOException> failures =
        db.write(
            "close the blockstore",
            () -> {
              closed = true;
              cache.invalidateAll();
              return files.close();
            });
    if (ownsDb) {
      db.close();
    }
    if (!failures.isEmpty()) {
      throw new StorageException(
          "cannot close packs in " + files.dir() + ": " + failures.get(0), failures.get(0));
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("blockstore " + files.dir() + " is closed");
    }
  }
}
