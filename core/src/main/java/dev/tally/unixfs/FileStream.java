package dev.tally.unixfs;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.StoredBody;
import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A byte range of a UnixFS file as a lazy stream: blocks are loaded depth-first as reading reaches
 * them, and only those overlapping the range (each node's blocksizes say which child holds which
 * bytes). Memory holds one block per tree level.
 */
final class FileStream extends InputStream {
  /** A file node being walked: its own data first, then its children in order. */
  private static final class Frame {
    final UnixfsNode node;
    final List<PbLink> links;
    final List<Long> blocksizes;
    long pos; // file offset where the next child (or, before dataDone, the node's data) starts
    long size; // the node's own data plus its blocksizes: the bytes it holds, once checked
    int next;
    boolean dataDone;

    Frame(UnixfsNode node, long start) {
      this.node = node;
      this.links = node.links();
      this.blocksizes = node.isRawLeaf() ? List.of() : node.data().getBlocksizesList();
      this.pos = start;
    }
  }

  private final Blockstore store;
  private final long from;
  private final long to;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private static final byte[] EMPTY = new byte[0];
  private byte[] segment = EMPTY;
  private int segmentPos;
  private int segmentEnd;

  /** Where leaves may be found as file ranges ({@link #transferPieces}); empty otherwise. */
  private Optional<BlockFiles> files = Optional.empty();

  private FileChannel slice;
  private long slicePosition;
  private int sliceLength;

  FileStream(Blockstore store, UnixfsNode root, long from, long to) {
    this.store = store;
    this.from = from;
    this.to = to;
    stack.push(frame(root, 0));
  }

  @Override
  public int read() {
    if (!ensureSegment()) {
      return -1;
    }
    return segment[segmentPos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!ensureSegment()) {
      return -1;
    }
    int n = Math.min(len, segmentEnd - segmentPos);
    System.arraycopy(segment, segmentPos, b, off, n);
    segmentPos += n;
    return n;
  }

  /**
   * Writes each block's bytes straight to {@code out}, without staging them through a small
   * transfer buffer (InputStream's default copies every byte once more).
   */
  @Override
  public long transferTo(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    long total = 0;
    while (ensureSegment()) {
      int n = segmentEnd - segmentPos;
      out.write(segment, segmentPos, n);
      segmentPos = segmentEnd;
      total += n;
    }
    return total;
  }

  /**
   * Hands each piece of the range to {@code out} as the array it was decoded into, with no copy:
   * every array is this stream's own (a block's bytes are copied out of the store on load), and it
   * is never read or written here again once handed over.
   */
  long transferOwned(UnixfsExporter.OwnedBytes out) throws IOException {
    Objects.requireNonNull(out, "out");
    long total = 0;
    while (ensureSegment()) {
      total += handOver(out);
    }
    return total;
  }

  /** Gives the current segment away (the stream forgets the array); returns its length. */
  private int handOver(UnixfsExporter.OwnedBytes out) throws IOException {
    int n = segmentEnd - segmentPos;
    byte[] piece = segment;
    int at = segmentPos;
    segment = EMPTY;
    segmentPos = 0;
    segmentEnd = 0;
    out.write(piece, at, n);
    return n;
  }

  /**
   * Hands the range to {@code out} piece by piece: each leaf that {@code blockFiles} holds as a
   * checked file range goes out as that range (raw leaves whole, dag-pb leaves their data's part of
   * the block), everything else as arrays, as {@link #transferOwned} gives them. The same checks
   * apply either way: a leaf holding other than its parent's blocksize falls back to the ordinary
   * decode, which refuses it.
   */
  long transferPieces(BlockFiles blockFiles, FilePieces out) throws IOException {
    Objects.requireNonNull(out, "out");
    files = Optional.of(blockFiles);
    try {
      long total = 0;
      while (true) {
        if (segmentPos < segmentEnd) {
          total += handOver(out::bytes);
        } else if (slice != null) {
          FileChannel file = slice;
          slice = null;
          out.file(file, slicePosition, sliceLength);
          total += sliceLength;
        } else if (!advance()) {
          return total;
        }
      }
    } finally {
      files = Optional.empty();
    }
  }

  /**
   * Pieces mode: takes the child {@code cid} (file bytes {@code start} onwards, {@code blocksize}
   * of them by its parent) as a range of a stored file if it is a leaf held in one. Returns false
   * when the ordinary path must load it: an internal node, a block not in a file, or one whose size
   * disagrees with {@code blocksize} (the ordinary path then names the problem).
   */
  private boolean sliceLeaf(Cid cid, long start, long blocksize) {
    if (files.isEmpty()
        || cid.multihash().isIdentity()
        || (cid.codec() != Multicodec.RAW && cid.codec() != Multicodec.DAG_PB)) {
      return false;
    }
    Optional<StoredBody> found = files.get().body(cid);
    if (found.isEmpty()) {
      return false;
    }
    StoredBody body = found.get();
    long dataAt;
    long dataLength;
    if (cid.codec() == Multicodec.RAW) {
      dataAt = 0;
      dataLength = body.size();
    } else {
      Optional<LeafData.Span> span = LeafData.locate(body.bytes());
      if (span.isEmpty()) {
        return false;
      }
      dataAt = span.get().offset();
      dataLength = span.get().length();
    }
    if (dataLength != blocksize) {
      return false;
    }
    long lo = Math.max(from, start);
    long hi = Math.min(to, start + dataLength);
    if (lo < hi) {
      slice = body.file();
      slicePosition = body.position() + dataAt + (lo - start);
      sliceLength = (int) (hi - lo);
    }
    return true;
  }

  private boolean ensureSegment() {
    while (segmentPos == segmentEnd) {
      if (!advance()) {
        return false;
      }
    }
    return true;
  }

  /** Moves to the next non-empty piece of data inside the range; false at the end. */
  private boolean advance() {
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (!f.dataDone) {
        f.dataDone = true;
        byte[] data =
            f.node.isRawLeaf() ? f.node.rawBytes() : f.node.data().getData().toByteArray();
        long start = f.pos;
        f.pos += data.length;
        long lo = Math.max(from, start);
        long hi = Math.min(to, f.pos);
        if (lo < hi) {
          segment = data;
          segmentPos = (int) (lo - start);
          segmentEnd = (int) (hi - start);
          return true;
        }
        continue;
      }
      if (f.next >= f.links.size() || f.pos >= to) {
        stack.pop();
        continue;
      }
      int i = f.next++;
      long childStart = f.pos;
      f.pos += f.blocksizes.get(i);
      if (f.pos > from) {
        if (sliceLeaf(f.links.get(i).hash(), childStart, f.blocksizes.get(i))) {
          if (slice != null) {
            return true;
          }
          continue;
        }
        Frame child = frame(UnixfsNode.load(store, f.links.get(i).hash()), childStart);
        // Positions are laid out by the parent's blocksizes; a child holding more or fewer bytes
        // than its blocksize would shift the file under the range and the length stat promised.
        if (child.size != f.blocksizes.get(i)) {
          throw new UnixfsException(
              f.node.cid()
                  + " gives its child "
                  + child.node.cid()
                  + " a blocksize of "
                  + f.blocksizes.get(i)
                  + " but the child holds "
                  + child.size
                  + " bytes");
        }
        stack.push(child);
      }
    }
    return false;
  }

  private static Frame frame(UnixfsNode node, long start) {
    if (!node.isRawLeaf() && node.type() != EntryType.FILE) {
      throw new UnixfsException(
          node.cid() + " is a " + node.type().name().toLowerCase(Locale.ROOT) + ", not a file");
    }
    Frame f = new Frame(node, start);
    if (f.links.size() != f.blocksizes.size()) {
      throw new UnixfsException(
          node.cid()
              + " has "
              + f.links.size()
              + " links but "
              + f.blocksizes.size()
              + " blocksizes; a UnixFS file needs one per link");
    }
    long size = node.isRawLeaf() ? node.rawBytes().length : node.data().getData().size();
    for (long blocksize : f.blocksizes) {
      if (blocksize < 0 || blocksize > Long.MAX_VALUE - size) {
        throw new UnixfsException(
            node.cid()
                + " has a blocksize of "
                + Long.toUnsignedString(blocksize)
                + ": its sizes add up to more than 2^63 - 1 bytes");
      }
      size += blocksize;
    }
    if (!node.isRawLeaf() && node.data().hasFilesize() && node.data().getFilesize() != size) {
      throw new UnixfsException(
          node.cid()
              + " declares a filesize of "
              + Long.toUnsignedString(node.data().getFilesize())
              + " but its data and blocksizes add up to "
              + size
              + " bytes");
    }
    f.size = size;
    return f;
  }
}
