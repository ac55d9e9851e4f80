package dev.tally.storage.blocks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.Database;
import dev.tally.storage.StorageException;
import dev.tally.storage.UnsignedBytesKeyType;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.MVMap;

/**
 * A {@link Blockstore} that appends block bodies to pack files and keeps the index (multihash →
 * pack, offset, size), per-pack lengths and the counters in the repo's H2 {@link Database}. See
 * {@code docs/adr/005-block-storage-layout.md} for the measurements behind the layout.
 *
 * <p>Durability: a {@code putAll} appends its records, fsyncs the packs, and only then stages the
 * index entries and commits them (one commit with the counters and pack lengths). So the index
 * never points past durable data, an acknowledged batch survives a crash, and bytes appended by a
 * batch that never committed are cut off on the next open. Every read checks the record's CRC-32C
 * and refuses a corrupt body with {@link CorruptBlockException}.
 *
 * <p>Space: {@link #deleteAll} drops index entries and counts each pack's live bytes; {@link
 * #compact} copies the live records out of packs whose live ratio fell below a threshold and
 * deletes those packs. Reads are lock-free and retry if compaction moves a block under them.
 */
public final class PackBlockstore implements Blockstore {
  /** The database file name when the store owns its database (tests, benchmarks). */
  public static final String OWN_DATABASE = "index.mv.db";

  private static final long FORMAT = 2;
  private static final String FORMAT_KEY = "format";
  private static final String COUNT_KEY = "blocks";
  private static final String BYTES_KEY = "bytes";
  private static final int COMPACT_CHUNK_RECORDS = 4096;
  private static final long COMPACT_CHUNK_BYTES = 16L << 20;

  private final Database db;
  private final boolean ownsDb;
  private final Path dir;
  private final PackOptions options;
  private final MVMap<byte[], PackLocation> index;
  private final MVMap<Integer, PackInfo> packs;
  private final MVMap<String, Long> meta;
  private final Map<Integer, PackFile> files = new ConcurrentHashMap<>();
  private final Cache<Multihash, byte[]> cache;
  private final BlockFilter filter;
  private final LongAdder filterPassed = new LongAdder();
  private final long truncatedOnOpen;
  private final long recoveredOnOpen;
  private PackFile active;
  private long packBytes;
  private volatile long count;
  private volatile long bytes;
  private volatile boolean closed;

  private PackBlockstore(Database db, boolean ownsDb, Path dir, PackOptions options)
      throws IOException {
    this.db = db;
    this.ownsDb = ownsDb;
    this.dir = dir;
    this.options = options;
    var store = db.mvstore();
    this.index =
        store.openMap(
            "packs.index",
            new MVMap.Builder<byte[], PackLocation>()
                .keyType(UnsignedBytesKeyType.INSTANCE)
                .valueType(PackLocation.Type.INSTANCE));
    this.packs =
        store.openMap(
            "packs.files",
            new MVMap.Builder<Integer, PackInfo>().valueType(PackInfo.Type.INSTANCE));
    this.meta = store.openMap("packs.meta");
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(options.readCacheBytes())
            .<Multihash, byte[]>weigher((k, v) -> v.length + 64)
            .build();
    Long format = meta.get(FORMAT_KEY);
    if (format == null && index.isEmpty() && packs.isEmpty()) {
      db.write("initialise the blockstore", () -> meta.put(FORMAT_KEY, FORMAT));
    } else if (format == null || format != FORMAT) {
      throw new StorageException(
          "blockstore " + db.file() + " has format " + format + "; this Tally reads " + FORMAT);
    }
    Files.createDirectories(dir);
    this.count = meta.getOrDefault(COUNT_KEY, 0L);
    this.bytes = meta.getOrDefault(BYTES_KEY, 0L);
    this.filter = new BlockFilter(count);
    long[] recovery = new long[2];
    for (int id : packIdsOnDisk()) {
      PackInfo info = packs.get(id);
      if (info == null && !PackFile.hasHeader(PackFile.pathOf(dir, id))) {
        // Killed while creating the pack, before its header was written: nothing is in it.
        Files.delete(PackFile.pathOf(dir, id));
        continue;
      }
      PackFile f = PackFile.open(dir, id, info == null ? PackFile.HEADER : info.length());
      files.put(f.id, f);
      if (f.size() > f.end() || info == null) {
        recoverTail(f, info == null ? new PackInfo(PackFile.HEADER, 0) : info, recovery);
      }
      packBytes += f.end();
      if (active == null || f.id > active.id) {
        active = f;
      }
    }
    for (int id : packs.keySet()) {
      if (!files.containsKey(id)) {
        throw new StorageException(
            "pack " + PackFile.pathOf(dir, id) + " is missing; the index lists blocks in it");
      }
    }
    this.truncatedOnOpen = recovery[0];
    this.recoveredOnOpen = recovery[1];
    rebuildFilter();
  }

  private List<Integer> packIdsOnDisk() throws IOException {
    List<Integer> ids = new ArrayList<>();
    try (DirectoryStream<Path> ls = Files.newDirectoryStream(dir, "*.pack")) {
      for (Path p : ls) {
        PackFile.idOf(p).ifPresent(ids::add);
      }
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Scans the bytes of a pack past its committed length: records a batch wrote and fsynced but
   * whose index commit did not reach the disk (or never happened). Each whole record whose CRC
   * holds is indexed again; the first torn or corrupt one and everything after it is cut off.
   */
  private void recoverTail(PackFile f, PackInfo info, long[] recovery) throws IOException {
    long size = f.size();
    long offset = info.length();
    List<byte[]> keys = new ArrayList<>();
    List<PackLocation> locations = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(f.path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      in.skipNBytes(offset);
      while (offset + PackRecord.HEADER <= size) {
        byte[] head = new byte[PackRecord.HEADER];
        in.readFully(head);
        ByteBuffer h = ByteBuffer.wrap(head);
        int mhLength = h.getShort() & 0xffff;
        int bodyLength = h.getInt();
        int crc = h.getInt();
        if (bodyLength < 0 || offset + PackRecord.length(mhLength, bodyLength) > size) {
          break;
        }
        byte[] key = in.readNBytes(mhLength);
        byte[] body = in.readNBytes(bodyLength);
        if (PackRecord.crc(head, key, ByteBuffer.wrap(body)) != crc || !isMultihash(key)) {
          break;
        }
        keys.add(key);
        locations.add(new PackLocation(f.id, offset, bodyLength));
        offset += PackRecord.length(mhLength, bodyLength);
      }
    }
    if (offset < size) {
      f.truncate(offset);
      recovery[0] += size - offset;
    }
    f.extendTo(offset);
    long end = offset;
    long[] added =
        db.write(
            "re-index " + keys.size() + " recovered blocks of " + f.path,
            () -> {
              long live = info.liveBytes();
              long n = 0;
              long sum = 0;
              for (int i = 0; i < keys.size(); i++) {
                filter.add(keys.get(i));
                if (index.putIfAbsent(keys.get(i), locations.get(i)) == null) {
                  live += PackRecord.length(keys.get(i).length, locations.get(i).size());
                  n++;
                  sum += locations.get(i).size();
                }
              }
              packs.put(f.id, new PackInfo(end, live));
              meta.put(COUNT_KEY, count + n);
              meta.put(BYTES_KEY, bytes + sum);
              return new long[] {n, sum};
            });
    count += added[0];
    bytes += added[1];
    recovery[1] += added[0];
  }

  private static boolean isMultihash(byte[] key) {
    try {
      Multihash.decode(key);
      return true;
    } catch (MultiformatException e) {
      return false;
    }
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
    return truncatedOnOpen;
  }

  /** Whole records found past the committed length on open and indexed again. */
  public long recoveredOnOpen() {
    return recoveredOnOpen;
  }

  public Path directory() {
    return dir;
  }

  /** Whether the block is stored; an absent one is usually answered by the in-memory filter. */
  @Override
  public boolean has(Cid cid) {
    return has(cid.multihash());
  }

  /** Whether the block is stored, by multihash (identity multihashes are always "stored"). */
  public boolean has(Multihash mh) {
    ensureOpen();
    return mh.isIdentity() || indexed(mh.bytes());
  }

  private boolean indexed(byte[] key) {
    if (!filter.mightContain(key)) {
      return false;
    }
    filterPassed.increment();
    return index.containsKey(key);
  }

  /**
   * How many look-ups ({@code has}, {@code get}, a put's duplicate check) the filter passed on to
   * the index since open: every present key, plus the filter's false positives among absent ones.
   */
  public long indexLookups() {
    return filterPassed.sum();
  }

  /**
   * Rebuilds the absent-key filter from the index if the store outgrew it or deletes left it mostly
   * stale; writers keep going meanwhile. Returns whether it was rebuilt.
   */
  public boolean refreshFilter() {
    ensureOpen();
    return filter.needsRebuild(count) && rebuildFilter();
  }

  /** Rebuilds the filter from the index now (tests race it against writers). */
  boolean rebuildFilter() {
    return filter.rebuild(
        count,
        start ->
            db.write(
                "snapshot the index for the block filter",
                false,
                () -> {
                  start.run();
                  return index.keyIterator(null);
                }));
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
      if (!index.containsKey(key)) {
        cache.invalidate(mh);
        return Optional.empty();
      }
    }
    // The cached array is shared between readers, so every caller gets its own copy.
    return Optional.of(Block.of(cid, body));
  }

  private Optional<byte[]> read(Cid cid, byte[] key) {
    if (!filter.mightContain(key)) {
      return Optional.empty();
    }
    // Compaction may move a record and close its old pack between our index look-up and the read;
    // looking up again finds it in its new pack.
    for (int attempt = 0; attempt < 8; attempt++) {
      PackLocation at = index.get(key);
      if (at == null) {
        return Optional.empty();
      }
      PackFile f = files.get(at.pack());
      if (f == null) {
        ensureOpen();
        continue;
      }
      try {
        return Optional.of(readRecord(f, at, key, cid));
      } catch (ClosedChannelException e) {
        ensureOpen();
      } catch (IOException e) {
        throw new CorruptBlockException(
            cid,
            "cannot read block " + cid + " from " + f.path + " at " + at.offset() + ": " + e,
            e);
      }
    }
    throw new StorageException("block " + cid + " kept moving while it was read; retry");
  }

  private static byte[] readRecord(PackFile f, PackLocation at, byte[] key, Cid cid)
      throws IOException {
    ByteBuffer head = ByteBuffer.allocate(PackRecord.HEADER + key.length);
    f.read(head, at.offset());
    head.flip();
    int mhLength = head.getShort() & 0xffff;
    int bodyLength = head.getInt();
    int crc = head.getInt();
    byte[] storedKey = new byte[Math.min(mhLength, head.remaining())];
    head.get(storedKey);
    if (mhLength != key.length || bodyLength != at.size() || !Arrays.equals(storedKey, key)) {
      throw new CorruptBlockException(
          cid,
          "block "
              + cid
              + " is corrupt: the record at "
              + f.path
              + ":"
              + at.offset()
              + " has another header than the index expects");
    }
    byte[] body = new byte[bodyLength];
    f.read(ByteBuffer.wrap(body), at.offset() + PackRecord.HEADER + key.length);
    if (PackRecord.crc(head.array(), key, ByteBuffer.wrap(body)) != crc) {
      throw new CorruptBlockException(
          cid,
          "block "
              + cid
              + " is corrupt: its bytes in "
              + f.path
              + " at "
              + at.offset()
              + " fail their CRC-32C");
    }
    return body;
  }

  @Override
  public void put(Block block) {
    putAll(List.of(Objects.requireNonNull(block, "block")));
  }

  /**
   * Stores every block or none, durably, when it returns: records appended and fsynced, then the
   * index committed and synced.
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
                if (!indexed(key)) {
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
              appendAndStage(keys, bodies, Map.of());
              meta.put(COUNT_KEY, count + keys.size());
              meta.put(BYTES_KEY, bytes + sum);
              return new long[] {keys.size(), sum};
            });
    count += added[0];
    bytes += added[1];
    if (filter.needsRebuild(count)) {
      rebuildFilter();
    }
  }

  /**
   * Under the write lock: appends the records, fsyncs every pack touched, then stages the index
   * entries and pack lengths for the caller's commit. On an I/O error the packs are cut back to
   * where they were and nothing is staged.
   *
   * @param moved for compaction: the old location of each key, whose pack loses those live bytes
   */
  private void appendAndStage(
      List<byte[]> keys, List<ByteBuffer> bodies, Map<Integer, Long> movedOut) {
    Map<Integer, Long> startOf = new LinkedHashMap<>();
    List<PackFile> created = new ArrayList<>();
    PackFile activeBefore = active;
    long packBytesBefore = packBytes;
    PackLocation[] locations = new PackLocation[keys.size()];
    try {
      for (int i = 0; i < keys.size(); i++) {
        byte[] key = keys.get(i);
        ByteBuffer body = bodies.get(i).duplicate();
        int size = body.remaining();
        int record = PackRecord.length(key.length, size);
        if (packBytes + record > options.capacityBytes()) {
          throw new StorageFullException(
              "the blockstore in "
                  + dir
                  + " is full: it holds "
                  + packBytes
                  + " pack bytes of "
                  + options.capacityBytes()
                  + " allowed; free space (tally repo gc) and retry");
        }
        if (active == null
            || (active.end() + record > options.packBytes() && active.end() > PackFile.HEADER)) {
          int id = nextPackId();
          PackFile f = PackFile.create(dir, id);
          files.put(id, f);
          created.add(f);
          active = f;
          packBytes += PackFile.HEADER;
        }
        startOf.putIfAbsent(active.id, active.end());
        long offset = active.append(PackRecord.header(key, body), key, body);
        packBytes += record;
        locations[i] = new PackLocation(active.id, offset, size);
      }
      for (int id : startOf.keySet()) {
        files.get(id).flushAndForce();
      }
    } catch (IOException | RuntimeException e) {
      undoAppends(startOf, created, e);
      active = activeBefore;
      packBytes = packBytesBefore;
      if (e instanceof StorageException s) {
        throw s;
      }
      if (isNoSpace(e)) {
        throw new StorageFullException(
            "the disk holding " + dir + " is full (" + e.getMessage() + "); nothing was stored", e);
      }
      throw new StorageException("cannot append blocks to packs in " + dir + ": " + e, e);
    }
    Map<Integer, Long> liveDelta = new HashMap<>(movedOut);
    for (int i = 0; i < keys.size(); i++) {
      // The filter learns the key before readers can see its index entry: never a false negative.
      filter.add(keys.get(i));
      index.put(keys.get(i), locations[i]);
      liveDelta.merge(
          locations[i].pack(),
          (long) PackRecord.length(keys.get(i).length, locations[i].size()),
          Long::sum);
    }
    for (Map.Entry<Integer, Long> d : liveDelta.entrySet()) {
      PackFile f = files.get(d.getKey());
      PackInfo old = packs.getOrDefault(d.getKey(), new PackInfo(PackFile.HEADER, 0));
      long length = startOf.containsKey(d.getKey()) ? f.end() : old.length();
      packs.put(d.getKey(), new PackInfo(length, old.liveBytes() + d.getValue()));
    }
  }

  private void undoAppends(Map<Integer, Long> startOf, List<PackFile> created, Exception e) {
    for (PackFile f : created) {
      files.remove(f.id);
      try {
        f.close();
        Files.deleteIfExists(f.path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
    }
    for (Map.Entry<Integer, Long> s : startOf.entrySet()) {
      PackFile f = files.get(s.getKey());
      if (f != null) {
        try {
          f.truncate(s.getValue());
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
    }
  }

  private static boolean isNoSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  private int nextPackId() {
    int max = 0;
    for (int id : files.keySet()) {
      max = Math.max(max, id);
    }
    return max + 1;
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
                PackLocation at = index.remove(key);
                if (at == null) {
                  continue;
                }
                dead.merge(at.pack(), (long) PackRecord.length(key.length, at.size()), Long::sum);
                gone.add(mh);
                n++;
                sum += at.size();
              }
              for (Map.Entry<Integer, Long> d : dead.entrySet()) {
                PackInfo old = packs.get(d.getKey());
                packs.put(d.getKey(), new PackInfo(old.length(), old.liveBytes() - d.getValue()));
              }
              if (n > 0) {
                meta.put(COUNT_KEY, count - n);
                meta.put(BYTES_KEY, bytes - sum);
              }
              return new Removed(n, sum, List.copyOf(gone));
            });
    removed.multihashes().forEach(cache::invalidate);
    filter.removed(removed.count());
    count -= removed.count();
    bytes -= removed.bytes();
    return removed;
  }

  /** What a {@link #compact} did. */
  public record Compaction(int packsRemoved, long bytesFreed, long recordsMoved) {}

  /**
   * Rewrites every pack whose live ratio is below {@code maxLiveRatio} (the current one is retired
   * first): its live records are appended to the current pack (in chunks, each fsynced and
   * committed, so writers wait at most one chunk), then the pack is dropped from the index and its
   * file deleted. A pack holding a corrupt live record is left alone (copying would hide it).
   */
  public Compaction compact(double maxLiveRatio) {
    ensureOpen();
    int removed = 0;
    long freed = 0;
    long moved = 0;
    // A sparse pack still being appended to is retired first, so it can be rewritten too.
    db.write(
        "retire a sparse current pack",
        () -> {
          PackInfo info = active == null ? null : packs.get(active.id);
          if (info != null && info.liveRatio() < maxLiveRatio) {
            active = null;
          }
          return null;
        });
    List<Integer> candidates = new ArrayList<>();
    for (Map.Entry<Integer, PackInfo> e : packs.entrySet()) {
      boolean isActive = active != null && active.id == e.getKey();
      if (!isActive && e.getValue().liveRatio() < maxLiveRatio) {
        candidates.add(e.getKey());
      }
    }
    for (int id : candidates) {
      PackFile f = files.get(id);
      PackInfo info = packs.get(id);
      if (f == null || info == null) {
        continue;
      }
      try {
        OptionalMoved result = movePack(f, info);
        if (!result.ok) {
          continue;
        }
        moved += result.records;
      } catch (IOException e) {
        throw new StorageException("cannot compact pack " + f.path + ": " + e, e);
      }
      db.write(
          "drop pack " + f.path,
          () -> {
            PackInfo now = packs.get(id);
            if (now != null && now.liveBytes() != 0) {
              throw new StorageException(
                  "pack " + f.path + " still holds " + now.liveBytes() + " live bytes");
            }
            packs.remove(id);
            packBytes -= info.length();
            return null;
          });
      files.remove(id);
      try {
        f.close();
        Files.deleteIfExists(f.path);
      } catch (IOException e) {
        throw new StorageException("cannot delete compacted pack " + f.path + ": " + e, e);
      }
      removed++;
      freed += info.length();
    }
    return new Compaction(removed, freed, moved);
  }

  private record OptionalMoved(boolean ok, long records) {}

  private OptionalMoved movePack(PackFile f, PackInfo info) throws IOException {
    long records = 0;
    try (InputStream raw = Files.newInputStream(f.path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      in.skipNBytes(PackFile.HEADER);
      long offset = PackFile.HEADER;
      List<byte[]> keys = new ArrayList<>();
      List<ByteBuffer> bodies = new ArrayList<>();
      List<PackLocation> from = new ArrayList<>();
      long chunkBytes = 0;
      while (offset < info.length()) {
        byte[] head = new byte[PackRecord.HEADER];
        in.readFully(head);
        ByteBuffer h = ByteBuffer.wrap(head);
        int mhLength = h.getShort() & 0xffff;
        int size = h.getInt();
        int crc = h.getInt();
        if (size < 0 || offset + PackRecord.length(mhLength, size) > info.length()) {
          return new OptionalMoved(false, records);
        }
        byte[] key = in.readNBytes(mhLength);
        PackLocation here = new PackLocation(f.id, offset, size);
        offset += PackRecord.length(mhLength, size);
        if (!here.equals(index.get(key))) {
          in.skipNBytes(size);
          continue;
        }
        byte[] body = in.readNBytes(size);
        if (body.length != size || PackRecord.crc(head, key, ByteBuffer.wrap(body)) != crc) {
          return new OptionalMoved(false, records);
        }
        keys.add(key);
        bodies.add(ByteBuffer.wrap(body));
        from.add(here);
        chunkBytes += size;
        if (keys.size() >= COMPACT_CHUNK_RECORDS || chunkBytes >= COMPACT_CHUNK_BYTES) {
          records += moveChunk(keys, bodies, from);
          keys.clear();
          bodies.clear();
          from.clear();
          chunkBytes = 0;
        }
      }
      records += moveChunk(keys, bodies, from);
    } catch (EOFException e) {
      return new OptionalMoved(false, records);
    }
    return new OptionalMoved(true, records);
  }

  private long moveChunk(List<byte[]> keys, List<ByteBuffer> bodies, List<PackLocation> from) {
    if (keys.isEmpty()) {
      return 0;
    }
    return db.write(
        "move " + keys.size() + " blocks out of a sparse pack",
        () -> {
          ensureOpen();
          // A block deleted since the scan stays deleted: only still-current entries move.
          List<byte[]> k = new ArrayList<>();
          List<ByteBuffer> b = new ArrayList<>();
          Map<Integer, Long> movedOut = new HashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            if (from.get(i).equals(index.get(keys.get(i)))) {
              k.add(keys.get(i));
              b.add(bodies.get(i));
              movedOut.merge(
                  from.get(i).pack(),
                  -(long) PackRecord.length(keys.get(i).length, from.get(i).size()),
                  Long::sum);
            }
          }
          if (k.isEmpty()) {
            return 0L;
          }
          appendAndStage(k, b, movedOut);
          return (long) k.size();
        });
  }

  /**
   * Reads every stored block, checks its CRC and re-hashes it against its multihash; reports each
   * bad one to {@code problems} (multihash, what is wrong) and returns how many were checked.
   */
  public long verify(BiConsumer<Multihash, String> problems) {
    ensureOpen();
    long checked = 0;
    Iterator<byte[]> keys = index.keyIterator(null);
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
    return count;
  }

  @Override
  public long totalBytes() {
    ensureOpen();
    return bytes;
  }

  /** Bytes of pack files on disk (records live and dead, plus headers). */
  public long packBytes() {
    return packBytes;
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

  /** Closes the packs (and the database if this store owns it); calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    Set<IOException> failures = new HashSet<>();
    db.write(
        "close the blockstore",
        () -> {
          closed = true;
          cache.invalidateAll();
          for (PackFile f : files.values()) {
            try {
              f.close();
            } catch (IOException e) {
              failures.add(e);
            }
          }
          return null;
        });
    if (ownsDb) {
      db.close();
    }
    if (!failures.isEmpty()) {
      throw new StorageException(
          "cannot close packs in " + dir + ": " + failures.iterator().next(),
          failures.iterator().next());
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("blockstore " + dir + " is closed");
    }
  }
}
