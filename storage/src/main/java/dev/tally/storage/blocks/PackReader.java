package dev.tally.storage.blocks;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.StoredBody;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * Hands block bodies out as checked ranges of pack files (ADR 044). Each pack is opened here with a
 * descriptor of its own, held until {@link #close}: compaction deletes a pack file only after
 * copying its live records elsewhere, and on Linux an open descriptor keeps a deleted file's bytes
 * readable, so a range handed out stays valid however the store changes meanwhile. Records in a
 * live pack are never rewritten (packs are append-only; a cut only drops uncommitted tails), so the
 * bytes checked here are the bytes a later {@code sendfile} of the range reads.
 *
 * <p>Each record is read with one positional read into a reused direct buffer (never the heap) and
 * checked as {@link PackFiles#readRecord} does: header and multihash against the index, CRC-32C
 * over lengths, multihash and body. One per response, on one thread at a time.
 */
final class PackReader implements BlockFiles {
  private static final int MIN_BUFFER = 64 << 10;

  private final PackIndex index;
  private final PackFiles files;
  private final Runnable ensureOpen;
  private final AtomicInteger openFiles;
  private final Map<Integer, FileChannel> open = new HashMap<>();

  /** Descriptors replaced by a fresh open: ranges handed out earlier may still read them. */
  private final List<FileChannel> retired = new ArrayList<>();

  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
  private boolean closed;

  PackReader(PackIndex index, PackFiles files, Runnable ensureOpen, AtomicInteger openFiles) {
    this.index = index;
    this.files = files;
    this.ensureOpen = ensureOpen;
    this.openFiles = openFiles;
  }

  @Override
  public Optional<StoredBody> body(Cid cid) {
    if (closed) {
      throw new IllegalStateException("block files of " + files.dir() + " are closed");
    }
    ensureOpen.run();
    Multihash mh = cid.multihash();
    if (mh.isIdentity()) {
      return Optional.empty();
    }
    byte[] key = mh.bytes();
    boolean reopened = false;
    // Compaction may move a record and delete its pack between the index look-up and the open;
    // looking up again finds it in its new pack.
    for (int attempt = 0; attempt < 8; attempt++) {
      Optional<PackLocation> found = index.locate(key);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      PackLocation at = found.get();
      FileChannel ch;
      try {
        ch = channel(at.pack());
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new StorageException("cannot open " + PackFile.pathOf(files.dir(), at.pack()), e);
      }
      Optional<String> problem;
      try {
        problem = read(ch, at, key);
      } catch (IOException e) {
        problem = Optional.of("cannot be read: " + e);
      }
      if (problem.isEmpty()) {
        ByteBuffer body =
            buffer.slice(PackRecord.HEADER + key.length, at.size()).asReadOnlyBuffer();
        return Optional.of(
            new StoredBody(cid, ch, at.offset() + PackRecord.HEADER + key.length, at.size(), body));
      }
      // A descriptor opened before a pack id was deleted and reused reads the old file: a record
      // that moved, or a pack opened too early, is a race; the same answer from a fresh open of
      // the pack the index still names is corruption.
      if (!index.isAt(key, at)) {
        continue;
      }
      if (!reopened) {
        reopened = true;
        forget(at.pack());
        continue;
      }
      throw new CorruptBlockException(
          cid,
          "block "
              + cid
              + " is corrupt: its record in "
              + PackFile.pathOf(files.dir(), at.pack())
              + " at "
              + at.offset()
              + " "
              + problem.get());
    }
    throw new StorageException("block " + cid + " kept moving while it was read; retry");
  }

  /** Reads the record at {@code at} into the buffer; what is wrong with it, if anything. */
  private Optional<String> read(FileChannel ch, PackLocation at, byte[] key) throws IOException {
    int length = PackRecord.length(key.length, at.size());
    if (buffer.capacity() < length) {
      buffer = ByteBuffer.allocateDirect(Math.max(length, MIN_BUFFER));
    }
    buffer.clear().limit(length);
    long position = at.offset();
    while (buffer.hasRemaining()) {
      int n = ch.read(buffer, position);
      if (n < 0) {
        return Optional.of("ends before its " + length + " bytes");
      }
      position += n;
    }
    buffer.flip();
    int mhLength = buffer.getShort(0) & 0xffff;
    int bodyLength = buffer.getInt(2);
    int crc = buffer.getInt(6);
    byte[] storedKey = new byte[key.length];
    buffer.get(PackRecord.HEADER, storedKey);
    if (mhLength != key.length || bodyLength != at.size() || !Arrays.equals(storedKey, key)) {
      return Optional.of("has another header than the index expects");
    }
    CRC32C check = new CRC32C();
    check.update(buffer.slice(0, 6));
    check.update(buffer.slice(PackRecord.HEADER, key.length + at.size()));
    if ((int) check.getValue() != crc) {
      return Optional.of("fails its CRC-32C");
    }
    return Optional.empty();
  }

  private FileChannel channel(int pack) throws IOException {
    FileChannel ch = open.get(pack);
    if (ch == null) {
      ch = FileChannel.open(PackFile.pathOf(files.dir(), pack), StandardOpenOption.READ);
      open.put(pack, ch);
      openFiles.incrementAndGet();
    }
    return ch;
  }

  private void forget(int pack) {
    FileChannel ch = open.remove(pack);
    if (ch != null) {
      retired.add(ch);
    }
  }

  private void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // read-only descriptor: nothing was written that a failed close could lose
    } finally {
      openFiles.decrementAndGet();
    }
  }

  /** Closes every pack opened here; ranges handed out are unreadable afterwards. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    open.values().forEach(this::closeQuietly);
    open.clear();
    retired.forEach(this::closeQuietly);
    retired.clear();
    buffer = ByteBuffer.allocateDirect(0);
  }
}
