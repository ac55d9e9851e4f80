package dev.tally.storage.blocks;

import dev.tally.multiformats.Cid;
import dev.tally.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open pack files of a store: appends to the current pack (rolling to a new one at the size
 * limit, refusing a batch past the capacity), fsyncs, reads records back with their CRC checked,
 * and forgets packs compaction emptied. Appends and {@link #forget} run under the database's write
 * lock; reads are lock-free.
 */
final class PackFiles {
  private final Path dir;
  private final PackOptions options;
  private final Map<Integer, PackFile> files = new ConcurrentHashMap<>();
  private PackFile active;
  private long packBytes;

  PackFiles(Path dir, PackOptions options) {
    this.dir = dir;
    this.options = options;
  }

  Path dir() {
    return dir;
  }

  /** Ids of the {@code NNNNNNNN.pack} files in the directory, ascending. */
  List<Integer> idsOnDisk() throws IOException {
    List<Integer> ids = new ArrayList<>();
    try (DirectoryStream<Path> ls = Files.newDirectoryStream(dir, "*.pack")) {
      for (Path p : ls) {
        PackFile.idOf(p).ifPresent(ids::add);
      }
    }
    ids.sort(null);
    return ids;
  }

  /** On open: takes a recovered pack; the highest id becomes the current one. */
  void adopt(PackFile f) {
    files.put(f.id, f);
    packBytes += f.end();
    if (active == null || f.id > active.id) {
      active = f;
    }
  }

  boolean isOpen(int id) {
    return files.containsKey(id);
  }

  Optional<PackFile> file(int id) {
    return Optional.ofNullable(files.get(id));
  }

  /** The current pack's id, if one is being appended to. */
  Optional<Integer> activeId() {
    return active == null ? Optional.empty() : Optional.of(active.id);
  }

  /** Under the write lock: the next append starts a new pack. */
  void retireActive() {
    if (active != null) {
      active.releaseBuffer();
    }
    active = null;
  }

  /** Bytes of pack files on disk (records live and dead, plus headers). */
  long packBytes() {
    return packBytes;
  }

  /** Where each record of a batch went, and the new end of every pack the batch touched. */
  record Appended(PackLocation[] locations, Map<Integer, Long> ends) {}

  /**
   * Under the write lock: appends one record per key and fsyncs every pack touched. On any failure
   * the packs are cut back to where they were, new packs deleted, and nothing is returned.
   *
   * @throws StorageFullException if the capacity or the disk is full
   */
  Appended append(List<byte[]> keys, List<ByteBuffer> bodies) {
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
          if (active != null && !startOf.containsKey(active.id)) {
            // Full since the last batch, which flushed it: it gets no more appends.
            active.releaseBuffer();
          }
          int id = nextId();
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
      Map<Integer, Long> ends = new LinkedHashMap<>();
      for (int id : startOf.keySet()) {
        PackFile f = files.get(id);
        f.flushAndForce();
        ends.put(id, f.end());
        if (f != active) {
          // A pack rolled over in this batch gets no more appends: its write buffer goes.
          f.releaseBuffer();
        }
      }
      return new Appended(locations, ends);
    } catch (IOException | RuntimeException e) {
      undo(startOf, created, e);
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
  }

  private void undo(Map<Integer, Long> startOf, List<PackFile> created, Exception e) {
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

  private int nextId() {
    int max = 0;
    for (int id : files.keySet()) {
      max = Math.max(max, id);
    }
    return max + 1;
  }

  /**
   * Reads the record at {@code at} and checks its header against the index's expectations and its
   * body against the CRC-32C written with it.
   *
   * @throws CorruptBlockException if the record does not match
   * @throws IOException if the pack cannot be read (closed by a concurrent compaction, short)
   */
  static byte[] readRecord(PackFile f, PackLocation at, byte[] key, Cid cid) throws IOException {
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

  /** Under the write lock, with the pack's index entry dropped: it no longer counts. */
  void forget(long length) {
    packBytes -= length;
  }

  /** After {@link #forget}'s commit: closes and deletes the pack file. */
  void delete(int id) {
    PackFile f = files.remove(id);
    if (f == null) {
      return;
    }
    try {
      f.close();
      Files.deleteIfExists(f.path);
    } catch (IOException e) {
      throw new StorageException("cannot delete compacted pack " + f.path + ": " + e, e);
    }
  }

  /** Closes every pack; returns the failures (the caller reports them after its own cleanup). */
  List<IOException> close() {
    List<IOException> failures = new ArrayList<>();
    for (PackFile f : files.values()) {
      try {
        f.close();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    return failures;
  }
}
