package dev.tally.storage.blocks;

import com.sun.nio.file.ExtendedOpenOption;
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
 * One append-only pack file: an 8-byte magic, then records ({@link PackRecord}). Appends are copied
 * into an aligned direct buffer and written, where the file system allows it, with {@code
 * O_DIRECT}: whole aligned blocks go straight to the device without passing through the page cache,
 * which costs the kernel a fraction of the CPU of buffered writes and their writeback (ADR 024).
 * The last, partial block of a batch is written through the page cache, so the file never holds
 * bytes past the last record, and is rewritten whole by the next direct write (its committed prefix
 * with the same bytes, so a torn rewrite cannot change them). {@link #flushAndForce} makes the
 * appends durable. Reads are positional, buffered and thread-safe.
 */
final class PackFile implements Closeable {
  private static final System.Logger LOG = System.getLogger(PackFile.class.getName());

  static final byte[] MAGIC = "TALLYPK1".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER = MAGIC.length;
  private static final Pattern NAME = Pattern.compile("(\\d{8})\\.pack");
  private static final int WRITE_BUFFER = 1 << 20;

  /**
   * System property that, set to {@code true}, makes packs opened afterwards write through the page
   * cache (to compare both paths, or on a file system whose direct I/O misbehaves).
   */
  static final String BUFFERED_PROPERTY = "tally.packs.buffered";

  /** Alignment of direct writes when the file store does not tell its block size. */
  private static final int DEFAULT_ALIGNMENT = 4096;

  final int id;
  final Path path;
  private final FileChannel channel;

  /** {@code O_DIRECT} channel for aligned block writes, or {@link #channel} where unsupported. */
  private final FileChannel blockWriter;

  private final int alignment;
  private ByteBuffer buffer;

  /** File offset of {@code buffer}'s first byte: a multiple of {@link #alignment}. */
  private long bufferStart;

  /** Whether {@code buffer} holds the bytes from {@link #bufferStart} to {@link #end}. */
  private boolean loaded;

  private long end;

  private PackFile(int id, Path path, FileChannel channel, long end) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.end = end;
    Optional<FileChannel> direct = openDirect(path);
    this.blockWriter = direct.orElse(channel);
    this.alignment = direct.isPresent() ? alignmentOf(path) : 1;
  }

  /**
   * Opens {@code path} for {@code O_DIRECT} writes, or nothing where the platform or file system
   * refuses (tmpfs, some network file systems): the pack then writes through the page cache, which
   * is as durable (every batch is fsynced) and only costs more kernel CPU per byte.
   */
  private static Optional<FileChannel> openDirect(Path path) {
    if (Boolean.getBoolean(BUFFERED_PROPERTY)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT));
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "packs in " + path.getParent() + " write through the page cache: " + e);
      return Optional.empty();
    }
  }

  private static int alignmentOf(Path path) {
    try {
      long block = Files.getFileStore(path).getBlockSize();
      if (block > 0 && block <= WRITE_BUFFER && Long.bitCount(block) == 1) {
        return (int) Math.max(block, DEFAULT_ALIGNMENT);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // fall through: 4 KiB is a multiple of every common logical block size
    }
    return DEFAULT_ALIGNMENT;
  }

  /** Whether appends bypass the page cache ({@code O_DIRECT}). */
  boolean writesDirect() {
    return blockWriter != channel;
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
    end = length;
    loaded = false;
  }

  /** End of the appended data, including bytes still in the write buffer. */
  long end() {
    return end;
  }

  /** Appends one record; returns its offset. */
  long append(byte[] header, byte[] multihash, ByteBuffer body) throws IOException {
    long at = end;
    if (!loaded) {
      load();
    }
    put(ByteBuffer.wrap(header));
    put(ByteBuffer.wrap(multihash));
    put(body.duplicate());
    end = at + header.length + multihash.length + body.remaining();
    return at;
  }

  /**
   * Positions the buffer at the aligned block holding {@link #end}, with that block's bytes up to
   * the end read back from the file, so the next direct write rewrites the block whole.
   */
  private void load() throws IOException {
    if (buffer == null) {
      buffer = ByteBuffer.allocateDirect(WRITE_BUFFER + alignment).alignedSlice(alignment);
    }
    buffer.clear();
    bufferStart = end - end % alignment;
    buffer.limit((int) (end - bufferStart));
    read(buffer, bufferStart);
    buffer.limit(buffer.capacity());
    loaded = true;
  }

  private void put(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        writeBlocks();
      }
      int n = Math.min(src.remaining(), buffer.remaining());
      buffer.put(buffer.position(), src, src.position(), n);
      buffer.position(buffer.position() + n);
      src.position(src.position() + n);
    }
  }

  /**
   * Writes the whole aligned blocks of the buffer with {@link #blockWriter} and keeps the partial
   * last one at the buffer's start.
   */
  private void writeBlocks() throws IOException {
    int filled = buffer.position();
    int whole = filled - filled % alignment;
    if (whole == 0) {
      return;
    }
    writeFully(blockWriter, buffer.duplicate().position(0).limit(whole), bufferStart);
    bufferStart += whole;
    buffer.put(0, buffer, whole, filled - whole);
    buffer.position(filled - whole);
  }

  /** Writes buffered appends and fsyncs the data (not the metadata: the size is re-derived). */
  void flushAndForce() throws IOException {
    if (loaded && buffer.position() > 0) {
      writeBlocks();
      // The partial last block goes through the page cache: the file ends at the last record.
      writeFully(channel, buffer.duplicate().flip(), bufferStart);
    }
    blockWriter.force(false);
  }

  /** Releases the write buffer of a pack no longer appended to (its appends are flushed). */
  void releaseBuffer() {
    buffer = null;
    loaded = false;
  }

  /** Drops bytes after {@code length} (a failed batch, a torn tail) and syncs the cut. */
  void truncate(long length) throws IOException {
    loaded = false;
    channel.truncate(length);
    channel.force(true);
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
    try {
      if (blockWriter != channel) {
        blockWriter.close();
      }
    } finally {
      channel.close();
    }
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
