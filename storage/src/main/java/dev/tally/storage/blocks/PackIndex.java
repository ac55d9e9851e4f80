package dev.tally.storage.blocks;

import dev.tally.storage.Database;
import dev.tally.storage.DbMap;
import dev.tally.storage.StorageException;
import dev.tally.storage.UnsignedBytesKeyType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.h2.mvstore.MVMap;

/**
 * The pack store's state in the repo's H2 {@link Database}: the index (multihash → pack, offset,
 * size), each pack's committed length and live bytes, the block and byte counters, and the
 * in-memory {@link BlockFilter} in front of the index. Readers call it lock-free; every {@code
 * stage*} method runs inside {@link Database#write}, and the counters change in memory only after
 * that commit ({@link #applyCounters}).
 */
final class PackIndex {
  private static final long FORMAT = 2;
  private static final String FORMAT_KEY = "format";
  private static final String COUNT_KEY = "blocks";
  private static final String BYTES_KEY = "bytes";

  private final Database db;
  private final DbMap<byte[], PackLocation> index;
  private final DbMap<Integer, PackInfo> packs;
  private final DbMap<String, Long> meta;
  private final BlockFilter filter;
  private final LongAdder lookups = new LongAdder();
  private volatile long count;
  private volatile long bytes;

  private PackIndex(Database db) {
    this.db = db;
    this.index =
        db.map(
            "packs.index",
            () ->
                new MVMap.Builder<byte[], PackLocation>()
                    .keyType(UnsignedBytesKeyType.INSTANCE)
                    .valueType(PackLocation.Type.INSTANCE));
    this.packs =
        db.map(
            "packs.files",
            () -> new MVMap.Builder<Integer, PackInfo>().valueType(PackInfo.Type.INSTANCE));
    this.meta = db.map("packs.meta", MVMap.Builder::new);
    Long format = meta.get(FORMAT_KEY);
    if (format == null && index.isEmpty() && packs.isEmpty()) {
      db.write("initialise the blockstore", () -> meta.put(FORMAT_KEY, FORMAT));
    } else if (format == null || format != FORMAT) {
      throw new StorageException(
          "blockstore " + db.file() + " has format " + format + "; this Tally reads " + FORMAT);
    }
    this.count = meta.getOrDefault(COUNT_KEY, 0L);
    this.bytes = meta.getOrDefault(BYTES_KEY, 0L);
    this.filter = new BlockFilter(count);
  }

  static PackIndex open(Database db) {
    return new PackIndex(db);
  }

  Database db() {
    return db;
  }

  /** Whether the key is indexed; an absent key is usually answered by the filter alone. */
  boolean contains(byte[] key) {
    if (!filter.mightContain(key)) {
      return false;
    }
    lookups.increment();
    return index.containsKey(key);
  }

  /** Whether the key is indexed, asking the index itself (for re-checks after a race). */
  boolean containsExactly(byte[] key) {
    return index.containsKey(key);
  }

  /** Where the key's record is, if it is indexed. */
  Optional<PackLocation> locate(byte[] key) {
    if (!filter.mightContain(key)) {
      return Optional.empty();
    }
    return Optional.ofNullable(index.get(key));
  }

  /** Whether the key's record is still at {@code at} (compaction moves only unchanged entries). */
  boolean isAt(byte[] key, PackLocation at) {
    return at.equals(index.get(key));
  }

  /** Look-ups that the filter passed on to the index since open. */
  long lookups() {
    return lookups.sum();
  }

  long count() {
    return count;
  }

  long bytes() {
    return bytes;
  }

  /** The index keys as of now (MVStore maps are copy-on-write: later writes do not show). */
  Iterator<byte[]> keys() {
    return index.keyIterator(null);
  }

  Optional<PackInfo> pack(int id) {
    return Optional.ofNullable(packs.get(id));
  }

  Set<Integer> packIds() {
    return packs.keySet();
  }

  Set<Map.Entry<Integer, PackInfo>> packEntries() {
    return packs.entrySet();
  }

  /** Stages a key whose record is durable; the filter learns it before readers see the entry. */
  void stage(byte[] key, PackLocation at) {
    filter.add(key);
    index.put(key, at);
  }

  /** As {@link #stage}, unless the key is indexed already; returns whether it was added. */
  boolean stageIfAbsent(byte[] key, PackLocation at) {
    filter.add(key);
    return index.putIfAbsent(key, at) == null;
  }

  /**
   * Stages the index entries of records just appended ({@link PackFiles.Appended}) and the lengths
   * and live bytes of the packs they went to.
   *
   * @param movedOut for compaction: live bytes each source pack loses (negative)
   */
  void stageAppended(List<byte[]> keys, PackFiles.Appended appended, Map<Integer, Long> movedOut) {
    Map<Integer, Long> liveDelta = new HashMap<>(movedOut);
    for (int i = 0; i < keys.size(); i++) {
      PackLocation at = appended.locations()[i];
      stage(keys.get(i), at);
      liveDelta.merge(
          at.pack(), (long) PackRecord.length(keys.get(i).length, at.size()), Long::sum);
    }
    for (Map.Entry<Integer, Long> d : liveDelta.entrySet()) {
      PackInfo old = packs.getOrDefault(d.getKey(), new PackInfo(PackFile.HEADER, 0));
      long length = appended.ends().getOrDefault(d.getKey(), old.length());
      packs.put(d.getKey(), new PackInfo(length, old.liveBytes() + d.getValue()));
    }
  }

  /** Stages the removal of a key; returns where its record was. */
  Optional<PackLocation> stageRemove(byte[] key) {
    return Optional.ofNullable(index.remove(key));
  }

  void stagePack(int id, PackInfo info) {
    packs.put(id, info);
  }

  void stageDropPack(int id) {
    packs.remove(id);
  }

  /** Stages the counters moved by {@code blocks} and {@code sum} body bytes. */
  void stageCounters(long blocks, long sum) {
    meta.put(COUNT_KEY, count + blocks);
    meta.put(BYTES_KEY, bytes + sum);
  }

  /** After the commit of {@link #stageCounters}: the in-memory counters follow. */
  void applyCounters(long blocks, long sum) {
    count += blocks;
    bytes += sum;
    if (blocks < 0) {
      filter.removed(-blocks);
    }
  }

  /** Rebuilds the filter if the store outgrew it or deletes left it mostly stale. */
  boolean refreshFilter() {
    return filter.needsRebuild(count) && rebuildFilter();
  }

  /** Rebuilds the filter from a snapshot of the index; writers keep going meanwhile. */
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
}
