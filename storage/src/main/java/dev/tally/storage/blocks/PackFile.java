package dev.tally.storage.blocks;

import dev.tally.storage.StorageException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only pack file: an 8-byte magic, then records ({@link PackRecord}). Appends go through
 * a direct buffer so a batch of small blocks is a few large writes; {@link #flushAndForce} makes
 * them durable. Reads are positional and thread-safe.
 */
final class PackFile implements Closeable {
  static final byte[] MAGIC = "TALLYPK1".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER = MAGIC.length;
  private static final Pattern NAME = Pattern.compile("(\\d{8})\\.pack");
  private static final int WRITE_BUFFER = 1 << 20;

  final int id;
  final Path path;
  private final FileChannel channel;
  private ByteBuffer buffer;
  private long flushed;
  private long end;

  private PackFile(int id, Path path, FileChannel channel, long end) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.flushed = end;
    this.end = end;
  }

  static Path pathOf(Path dir, int id) {
    return dir.resolve(String.format("%08d.pack", id));
  }

  static Optional<Integer> idOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Whether the file starts with the pack magic (false for one cut before it was written). */
  static boolean hasHeader(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(HEADER);
      return readFully(ch, magic, 0) == HEADER && Arrays.equals(magic.array(), MAGIC);
    }
  }

  /** Creates an empty pack (magic only, synced). */
  static PackFile create(Path dir, int id) throws IOException {
    Path path = pathOf(dir, id);
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      writeFully(ch, ByteBuffer.wrap(MAGIC), 0);
      ch.force(true);
      // The new name must survive a power cut too: acknowledged records will live in this file.
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
    return new PackFile(id, path, ch, HEADER);
  }

  /**
   * Opens a pack whose first {@code committed} bytes the index vouches for; appends continue after
   * them. Bytes past that point are the caller's to scan ({@link #size()}) and keep or cut ({@link
   * #truncate}).
   */
  static PackFile open(Path dir, int id, long committed) throws IOException {
    Path path = pathOf(dir, id);
    if (!Files.exists(path)) {
      throw new StorageException(
          "pack " + path + " is missing; the index lists " + committed + " bytes in it");
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = ch.size();
      ByteBuffer magic = ByteBuffer.allocate(HEADER);
      if (size < HEADER
          || readFully(ch, magic, 0) < HEADER
          || !Arrays.equals(magic.array(), MAGIC)) {
        throw new StorageException("pack " + path + " does not start with a Tally pack header");
      }
      if (size < committed) {
        throw new StorageException(
            "pack "
                + path
                + " holds "
                + size
                + " bytes but the index vouches for "
                + committed
                + "; the file was truncated outside Tally");
      }
      return new PackFile(id, path, ch, committed);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Moves the append position to {@code length} after a tail scan kept the records before it. */
  void extendTo(long length) {
    flushed = length;
    end = length;
  }

  /** End of the appended data, including bytes still in the write buffer. */
  long end() {
    return end;
  }

  /** Appends one record; returns its offset. */
  long append(byte[] header, byte[] multihash, ByteBuffer body) throws IOException {
    long at = end;
    int length = header.length + multihash.length + body.remaining();
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
    }
    if (buffer.remaining() < header.length + multihash.length) {
      flush();
    }
    buffer.put(header).put(multihash);
    if (buffer.remaining() >= body.remaining()) {
      buffer.put(body);
    } else {
      flush();
      if (body.remaining() <= buffer.capacity()) {
        buffer.put(body);
      } else {
        int n = body.remaining();
        writeFully(channel, body, flushed);
        flushed += n;
      }
    }
    end = at + length;
    return at;
  }

  private void flush() throws IOException {
    buffer.flip();
    int n = buffer.remaining();
    writeFully(channel, buffer, flushed);
    flushed += n;
    buffer.clear();
  }

  /** Writes buffered appends and fsyncs the data (not the metadata: the size is re-derived). */
  void flushAndForce() throws IOException {
    if (buffer != null && buffer.position() > 0) {
      flush();
    }
    channel.force(false);
  }

  /** Drops bytes after {@code length} (a failed batch, a torn tail) and syncs the cut. */
  void truncate(long length) throws IOException {
    if (buffer != null) {
      buffer.clear();
    }
    channel.truncate(length);
    channel.force(true);
    flushed = length;
    end = length;
  }

  /** Reads exactly {@code dst.remaining()} bytes at {@code position}. */
  void read(ByteBuffer dst, long position) throws IOException {
    int want = dst.remaining();
    if (readFully(channel, dst, position) < want) {
      throw new EOFException("pack " + path + " ends before offset " + (position + want));
    }
  }

  long size() throws IOException {
    return channel.size();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
    long at = position;
    while (src.hasRemaining()) {
      at += ch.write(src, at);
    }
  }
}
