package dev.tally.car;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a CARv1 archive to a stream: the header on {@link #open}, then one section per {@link
 * #write(Block)}. Blocks are trusted (not re-hashed); their sizes are held to the same {@link
 * CarLimits} a reader applies, so every archive written here can be read back. Not thread-safe.
 */
public final class CarWriter implements Closeable, Flushable {
  private final OutputStream out;
  private final CarLimits limits;
  private long position;
  private long blocksWritten;
  private boolean closed;

  private CarWriter(OutputStream out, CarLimits limits) {
    this.out = out;
    this.limits = limits;
  }

  public static CarWriter open(OutputStream out, List<Cid> roots) throws IOException {
    return open(out, new CarHeader(roots), CarLimits.DEFAULT);
  }

  /** Writes the header and returns a writer that owns {@code out} (closing it on close). */
  public static CarWriter open(OutputStream out, CarHeader header, CarLimits limits)
      throws IOException {
    byte[] encoded = header.encode();
    if (encoded.length > limits.maxHeaderBytes()) {
      throw CarException.general(
          "CAR header of "
              + encoded.length
              + " bytes ("
              + header.roots().size()
              + " roots) exceeds the limit of "
              + limits.maxHeaderBytes()
              + " bytes");
    }
    CarWriter writer = new CarWriter(out, limits);
    writer.writeFramed(encoded, null);
    return writer;
  }

  /** Appends one section: varint(length of CID + data), the binary CID, the block data. */
  public void write(Block block) throws IOException {
    if (closed) {
      throw new IllegalStateException("CAR writer is closed");
    }
    if (block.size() > limits.maxBlockBytes()) {
      throw CarException.general(
          "block "
              + block.cid()
              + " of "
              + block.size()
              + " bytes exceeds the CAR block limit of "
              + limits.maxBlockBytes());
    }
    byte[] cid = block.cid().bytes();
    if (cid.length > CarLimits.MAX_CID_BYTES) {
      throw CarException.general(
          "CID "
              + block.cid()
              + " takes "
              + cid.length
              + " bytes, more than the "
              + CarLimits.MAX_CID_BYTES
              + " a CAR section may hold");
    }
    writeFramed(cid, block);
    blocksWritten++;
  }

  /** Bytes written so far, header included. */
  public long position() {
    return position;
  }

  public long blocksWritten() {
    return blocksWritten;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Flushes and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  /** Writes varint(prefix + block size), prefix, and the block's data if any, in two writes. */
  private void writeFramed(byte[] prefix, Block block) throws IOException {
    long length = prefix.length + (block == null ? 0L : block.size());
    byte[] head = new byte[Varint.encodedLength(length) + prefix.length];
    int n = Varint.write(length, head, 0);
    System.arraycopy(prefix, 0, head, n, prefix.length);
    out.write(head);
    if (block != null) {
      block.writeTo(out);
    }
    position += head.length + (length - prefix.length);
  }
}
