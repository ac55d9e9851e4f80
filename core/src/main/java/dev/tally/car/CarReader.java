package dev.tally.car;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.multiformats.Varint;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a CARv1 or CARv2 archive from a stream, one section at a time. The header is read by {@link
 * #open}; each {@link #next()} reads one section, checks its block against the CID's multihash and
 * returns it. A CARv2 index is skipped: blocks are read in payload order.
 *
 * <p>Not thread-safe. Every failure of the archive (bad header, oversized or truncated section,
 * invalid CID, block not matching its CID) is a {@link CarException}; I/O failures of the
 * underlying stream are {@link IOException}s. After an exception the reader refuses further reads.
 */
public final class CarReader implements Closeable {
  private static final int V2_HEADER_LENGTH = 40;

  private final CountingInputStream in;
  private final CarLimits limits;
  private final CarHeader header;
  private final CarV2Header v2;
  private final long end;
  private long blocksRead;
  private boolean finished;
  private CarException failure;

  private CarReader(
      CountingInputStream in, CarLimits limits, CarHeader header, CarV2Header v2, long end) {
    this.in = in;
    this.limits = limits;
    this.header = header;
    this.v2 = v2;
    this.end = end;
  }

  /** Opens an archive with {@link CarLimits#DEFAULT}. */
  public static CarReader open(InputStream in) throws IOException {
    return open(in, CarLimits.DEFAULT);
  }

  /**
   * Reads the header (for CARv2: pragma, fixed header and the payload's CARv1 header) and returns a
   * reader positioned at the first section. The reader owns the stream: it is closed with the
   * reader, or before this method throws.
   *
   * @throws CarException if the archive does not start with a valid CARv1 header or CARv2 pragma
   */
  public static CarReader open(InputStream in, CarLimits limits) throws IOException {
    // Varints are read a byte at a time; a buffer keeps that from being a system call each.
    boolean buffered = in instanceof BufferedInputStream || in instanceof ByteArrayInputStream;
    CountingInputStream cin =
        new CountingInputStream(buffered ? in : new BufferedInputStream(in, 1 << 16));
    try {
      return readHeaders(cin, limits);
    } catch (IOException | RuntimeException e) {
      try {
        cin.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static CarReader readHeaders(CountingInputStream cin, CarLimits limits)
      throws IOException {
    long headerAt = cin.position();
    byte[] first = readHeaderBlock(cin, limits, "archive");
    HeaderCodec.Decoded decoded = HeaderCodec.decode(first, headerAt + varintLength(first.length));
    if (decoded.version() == 1) {
      return new CarReader(cin, limits, new CarHeader(decoded.roots()), null, Long.MAX_VALUE);
    }
    if (decoded.version() != 2) {
      throw CarException.at(
          headerAt,
          "unsupported CAR version " + decoded.version() + "; Tally reads versions 1 and 2");
    }
    CarV2Header v2 = readV2Header(cin);
    discard(cin, v2.dataOffset() - cin.position());
    long end = v2.dataOffset() + v2.dataSize();
    cin.limitTo(end);
    long payloadAt = cin.position();
    byte[] inner = readHeaderBlock(cin, limits, "CARv2 data payload");
    HeaderCodec.Decoded payload = HeaderCodec.decode(inner, payloadAt + varintLength(inner.length));
    if (payload.version() != 1) {
      throw CarException.at(
          payloadAt,
          "CARv2 data payload must be a CARv1, but its header says version " + payload.version());
    }
    return new CarReader(cin, limits, new CarHeader(payload.roots()), v2, end);
  }

  /** 1 for a CARv1 archive, 2 for a CARv2 archive. */
  public int version() {
    return v2 == null ? 1 : 2;
  }

  public CarHeader header() {
    return header;
  }

  public List<Cid> roots() {
    return header.roots();
  }

  /** The CARv2 header, present only for CARv2 archives. */
  public Optional<CarV2Header> v2Header() {
    return Optional.ofNullable(v2);
  }

  /** Bytes consumed from the start of the archive so far. */
  public long position() {
    return in.position();
  }

  /** Number of blocks returned so far. */
  public long blocksRead() {
    return blocksRead;
  }

  /**
   * Reads the next section and returns its block, verified against its CID, or empty at the end of
   * the archive (for CARv2: at the end of the data payload).
   *
   * @throws CarException if the section is malformed, too large, truncated or does not verify
   */
  public Optional<Block> next() throws IOException {
    if (failure != null) {
      throw CarException.at(
          failure.offset().orElse(in.position()),
          "CAR reader stopped after an earlier error: " + failure.getMessage(),
          failure);
    }
    if (finished) {
      return Optional.empty();
    }
    try {
      Optional<Block> block = readSection();
      if (block.isEmpty()) {
        finished = true;
      } else {
        blocksRead++;
      }
      return block;
    } catch (CarException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * The remaining blocks as a sequential stream; I/O failures surface as {@link
   * UncheckedIOException}. Closing the stream closes this reader.
   */
  public Stream<Block> blocks() {
    Spliterator<Block> split =
        new Spliterators.AbstractSpliterator<>(
            Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          @Override
          public boolean tryAdvance(Consumer<? super Block> action) {
            try {
              Optional<Block> block = next();
              block.ifPresent(action);
              return block.isPresent();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    return StreamSupport.stream(split, false)
        .onClose(
            () -> {
              try {
                close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private Optional<Block> readSection() throws IOException {
    long offset = in.position();
    OptionalLong announced = readVarint(in, offset, "section length");
    if (announced.isEmpty()) {
      if (v2 != null && in.position() < end) {
        throw CarException.at(
            in.position(),
            "CARv2 archive is truncated: its data payload should end at byte " + end);
      }
      return Optional.empty();
    }
    long length = announced.getAsLong();
    if (length == 0) {
      throw CarException.at(offset, "section has length 0; a section holds a CID and its block");
    }
    if (length > limits.maxSectionBytes()) {
      throw CarException.at(
          offset,
          "section length "
              + length
              + " exceeds the limit of "
              + limits.maxSectionBytes()
              + " bytes (a "
              + limits.maxBlockBytes()
              + "-byte block plus its CID)");
    }
    // readNBytes grows its buffer as bytes arrive, so a lying prefix costs at most the input size.
    byte[] section = in.readNBytes((int) length);
    if (section.length < length) {
      throw CarException.at(
          offset,
          "archive is truncated: the section announces "
              + length
              + " bytes but only "
              + section.length
              + " remain");
    }
    ByteBuffer buf = ByteBuffer.wrap(section);
    Cid cid;
    try {
      cid = Cid.read(buf);
    } catch (MultiformatException e) {
      throw CarException.at(
          offset, "section does not start with a valid CID: " + e.getMessage(), e);
    }
    int dataLength = buf.remaining();
    if (dataLength > limits.maxBlockBytes()) {
      throw CarException.block(
          offset,
          cid,
          "block of " + dataLength + " bytes exceeds the limit of " + limits.maxBlockBytes(),
          null);
    }
    int dataStart = buf.position();
    Multihash mh = cid.multihash();
    boolean matches;
    try {
      matches = mh.matches(section, dataStart, dataLength);
    } catch (MultiformatException e) {
      throw CarException.block(offset, cid, "cannot be verified: " + e.getMessage(), e);
    }
    if (!matches) {
      throw CarException.block(
          offset,
          cid,
          "the "
              + dataLength
              + " data bytes do not hash to the CID's "
              + hashName(mh.code())
              + " digest",
          null);
    }
    return Optional.of(Block.ofOwned(cid, Arrays.copyOfRange(section, dataStart, section.length)));
  }

  private static String hashName(long code) {
    return Multicodec.byCode(code).map(Multicodec::name).orElse("0x" + Long.toHexString(code));
  }

  private static byte[] readHeaderBlock(CountingInputStream in, CarLimits limits, String what)
      throws IOException {
    long offset = in.position();
    OptionalLong announced = readVarint(in, offset, "header length");
    if (announced.isEmpty()) {
      throw CarException.at(offset, what + " is empty; expected a CAR header");
    }
    long length = announced.getAsLong();
    if (length == 0) {
      throw CarException.at(offset, "CAR header has length 0");
    }
    if (length > limits.maxHeaderBytes()) {
      throw CarException.at(
          offset,
          "CAR header length "
              + length
              + " exceeds the limit of "
              + limits.maxHeaderBytes()
              + " bytes");
    }
    byte[] header = in.readNBytes((int) length);
    if (header.length < length) {
      throw CarException.at(
          offset,
          "archive is truncated: the CAR header announces "
              + length
              + " bytes but only "
              + header.length
              + " remain");
    }
    return header;
  }

  private static CarV2Header readV2Header(CountingInputStream in) throws IOException {
    long offset = in.position();
    byte[] fixed = in.readNBytes(V2_HEADER_LENGTH);
    if (fixed.length < V2_HEADER_LENGTH) {
      throw CarException.at(
          offset,
          "CARv2 archive is truncated: the 40-byte header has only " + fixed.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
    // The 16-byte characteristics bitfield defines no characteristic a reader must honour yet.
    b.position(16);
    return new CarV2Header(b.getLong(), b.getLong(), b.getLong());
  }

  /** Reads and drops padding; skip() could run past the end of some streams without noticing. */
  private static void discard(CountingInputStream in, long count) throws IOException {
    byte[] sink = new byte[(int) Math.min(count, 8192)];
    long left = count;
    while (left > 0) {
      int n = in.read(sink, 0, (int) Math.min(left, sink.length));
      if (n < 0) {
        throw CarException.at(
            in.position(),
            "CARv2 archive is truncated: it ends before its data payload at byte "
                + (in.position() + left));
      }
      left -= n;
    }
  }

  private static OptionalLong readVarint(CountingInputStream in, long offset, String what)
      throws IOException {
    try {
      return Varint.readOrEof(in);
    } catch (EOFException e) {
      throw CarException.at(offset, "archive is truncated inside a " + what + " varint", e);
    } catch (MultiformatException e) {
      throw CarException.at(offset, "invalid " + what + " varint: " + e.getMessage(), e);
    }
  }

  private static int varintLength(long value) {
    return Varint.encodedLength(value);
  }
}
