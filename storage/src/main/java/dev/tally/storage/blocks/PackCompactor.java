package dev.tally.storage.blocks;

import dev.tally.storage.Database;
import dev.tally.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Frees the space of deleted blocks: rewrites every pack whose live ratio fell below a threshold by
 * appending its live records to the current pack (in chunks, each fsynced and committed, so writers
 * wait at most one chunk), then drops the pack from the index and deletes its file. A pack holding
 * a corrupt live record is left alone: copying would hide the corruption.
 */
final class PackCompactor {
  private static final int CHUNK_RECORDS = 4096;
  private static final long CHUNK_BYTES = 16L << 20;

  private final PackIndex index;
  private final PackFiles files;
  private final Runnable ensureOpen;

  PackCompactor(PackIndex index, PackFiles files, Runnable ensureOpen) {
    this.index = index;
    this.files = files;
    this.ensureOpen = ensureOpen;
  }

  PackBlockstore.Compaction compact(double maxLiveRatio) {
    Database db = index.db();
    int removed = 0;
    long freed = 0;
    long moved = 0;
    // A sparse pack still being appended to is retired first, so it can be rewritten too.
    db.write(
        "retire a sparse current pack",
        () -> {
          files
              .activeId()
              .flatMap(index::pack)
              .filter(info -> info.liveRatio() < maxLiveRatio)
              .ifPresent(info -> files.retireActive());
          return null;
        });
    List<Integer> candidates = new ArrayList<>();
    Optional<Integer> active = files.activeId();
    for (Map.Entry<Integer, PackInfo> e : index.packEntries()) {
      if (!active.equals(Optional.of(e.getKey())) && e.getValue().liveRatio() < maxLiveRatio) {
        candidates.add(e.getKey());
      }
    }
    for (int id : candidates) {
      Optional<PackFile> file = files.file(id);
      Optional<PackInfo> info = index.pack(id);
      if (file.isEmpty() || info.isEmpty()) {
        continue;
      }
      PackFile f = file.get();
      long length = info.get().length();
      try {
        Moved result = movePack(f, length);
        if (!result.complete) {
          continue;
        }
        moved += result.records;
      } catch (IOException e) {
        throw new StorageException("cannot compact pack " + f.path + ": " + e, e);
      }
      db.write(
          "drop pack " + f.path,
          () -> {
            Optional<PackInfo> now = index.pack(id);
            if (now.isPresent() && now.get().liveBytes() != 0) {
              throw new StorageException(
                  "pack " + f.path + " still holds " + now.get().liveBytes() + " live bytes");
            }
            index.stageDropPack(id);
            files.forget(length);
            return null;
          });
      files.delete(id);
      removed++;
      freed += length;
    }
    return new PackBlockstore.Compaction(removed, freed, moved);
  }

  /** How many records left a pack, and whether all its live ones did. */
  private record Moved(boolean complete, long records) {}

  private Moved movePack(PackFile f, long length) throws IOException {
    long records = 0;
    try (InputStream raw = Files.newInputStream(f.path);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
      in.skipNBytes(PackFile.HEADER);
      long offset = PackFile.HEADER;
      List<byte[]> keys = new ArrayList<>();
      List<ByteBuffer> bodies = new ArrayList<>();
      List<PackLocation> from = new ArrayList<>();
      long chunkBytes = 0;
      while (offset < length) {
        PackRecord.Header h = PackRecord.Header.read(in);
        int mhLength = h.multihashLength();
        int size = h.bodyLength();
        if (size < 0 || offset + PackRecord.length(mhLength, size) > length) {
          return new Moved(false, records);
        }
        byte[] key = in.readNBytes(mhLength);
        PackLocation here = new PackLocation(f.id, offset, size);
        offset += PackRecord.length(mhLength, size);
        if (!index.isAt(key, here)) {
          in.skipNBytes(size);
          continue;
        }
        byte[] body = in.readNBytes(size);
        if (body.length != size || !h.matches(key, body)) {
          return new Moved(false, records);
        }
        keys.add(key);
        bodies.add(ByteBuffer.wrap(body));
        from.add(here);
        chunkBytes += size;
        if (keys.size() >= CHUNK_RECORDS || chunkBytes >= CHUNK_BYTES) {
          records += moveChunk(keys, bodies, from);
          keys.clear();
          bodies.clear();
          from.clear();
          chunkBytes = 0;
        }
      }
      records += moveChunk(keys, bodies, from);
    } catch (EOFException e) {
      return new Moved(false, records);
    }
    return new Moved(true, records);
  }

  private long moveChunk(List<byte[]> keys, List<ByteBuffer> bodies, List<PackLocation> from) {
    if (keys.isEmpty()) {
      return 0;
    }
    return index
        .db()
        .write(
            "move " + keys.size() + " blocks out of a sparse pack",
            () -> {
              ensureOpen.run();
              // A block deleted since the scan stays deleted: only still-current entries move.
              List<byte[]> k = new ArrayList<>();
              List<ByteBuffer> b = new ArrayList<>();
              Map<Integer, Long> movedOut = new HashMap<>();
              for (int i = 0; i < keys.size(); i++) {
                if (index.isAt(keys.get(i), from.get(i))) {
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
              index.stageAppended(k, files.append(k, b), movedOut);
              return (long) k.size();
            });
  }
}
