package dev.tally.storage.blocks;

import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What opening a pack store does after a crash, without a repair step: deletes a pack cut before
 * its header was written, re-indexes whole records a batch fsynced but whose index commit was lost,
 * cuts a torn tail, and refuses to open if a pack the index lists is missing.
 */
final class PackRecovery {
  /** Bytes cut from pack tails, and records found past a pack's committed length re-indexed. */
  record Result(long truncated, long recovered) {}

  private final PackIndex index;
  private final PackFiles files;
  private long truncated;
  private long recovered;

  private PackRecovery(PackIndex index, PackFiles files) {
    this.index = index;
    this.files = files;
  }

  /** Opens every pack on disk into {@code files}, repairing as above. */
  static Result run(PackIndex index, PackFiles files) throws IOException {
    PackRecovery r = new PackRecovery(index, files);
    r.openAll();
    return new Result(r.truncated, r.recovered);
  }

  private void openAll() throws IOException {
    for (int id : files.idsOnDisk()) {
      Optional<PackInfo> info = index.pack(id);
      if (info.isEmpty() && !PackFile.hasHeader(PackFile.pathOf(files.dir(), id))) {
        // Killed while creating the pack, before its header was written: nothing is in it.
        Files.delete(PackFile.pathOf(files.dir(), id));
        continue;
      }
      PackFile f =
          PackFile.open(files.dir(), id, info.map(PackInfo::length).orElse((long) PackFile.HEADER));
      if (f.size() > f.end() || info.isEmpty()) {
        recoverTail(f, info.orElse(new PackInfo(PackFile.HEADER, 0)));
      }
      files.adopt(f);
    }
    for (int id : index.packIds()) {
      if (!files.isOpen(id)) {
        throw new StorageException(
            "pack "
                + PackFile.pathOf(files.dir(), id)
                + " is missing; the index lists blocks in it");
      }
    }
  }

  /**
   * Scans the bytes of a pack past its committed length: records a batch wrote and fsynced but
   * whose index commit did not reach the disk (or never happened). Each whole record whose CRC
   * holds is indexed again; the first torn or corrupt one and everything after it is cut off.
   */
  private void recoverTail(PackFile f, PackInfo info) throws IOException {
    long size = f.size();
    long offset = info.length();
    List<byte[]> keys = new ArrayList<>();
    List<PackLocation> locations = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(f.path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      in.skipNBytes(offset);
      while (offset + PackRecord.HEADER <= size) {
        PackRecord.Header h = PackRecord.Header.read(in);
        int mhLength = h.multihashLength();
        int bodyLength = h.bodyLength();
        if (bodyLength < 0 || offset + PackRecord.length(mhLength, bodyLength) > size) {
          break;
        }
        byte[] key = in.readNBytes(mhLength);
        byte[] body = in.readNBytes(bodyLength);
        if (!h.matches(key, body) || !isMultihash(key)) {
          break;
        }
        keys.add(key);
        locations.add(new PackLocation(f.id, offset, bodyLength));
        offset += PackRecord.length(mhLength, bodyLength);
      }
    }
    if (offset < size) {
      f.truncate(offset);
      truncated += size - offset;
    }
    f.extendTo(offset);
    long end = offset;
    long[] added =
        index
            .db()
            .write(
                "re-index " + keys.size() + " recovered blocks of " + f.path,
                () -> {
                  long live = info.liveBytes();
                  long n = 0;
                  long sum = 0;
                  for (int i = 0; i < keys.size(); i++) {
                    if (index.stageIfAbsent(keys.get(i), locations.get(i))) {
                      live += PackRecord.length(keys.get(i).length, locations.get(i).size());
                      n++;
                      sum += locations.get(i).size();
                    }
                  }
                  index.stagePack(f.id, new PackInfo(end, live));
                  index.stageCounters(n, sum);
                  return new long[] {n, sum};
                });
    index.applyCounters(added[0], added[1]);
    recovered += added[0];
  }

  private static boolean isMultihash(byte[] key) {
    try {
      Multihash.decode(key);
      return true;
    } catch (MultiformatException e) {
      return false;
    }
  }
}
