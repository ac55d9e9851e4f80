package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.PbLink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Streams a byte range of a UnixFS file, loading only the blocks that overlap the range: each
 * node's blocksizes say which children hold which bytes.
 */
final class FileReader {
  private final Blockstore store;

  FileReader(Blockstore store) {
    this.store = store;
  }

  /** Writes bytes {@code [from, to)} of the file rooted at {@code node} (clamped to its size). */
  void read(UnixfsNode node, long from, long to, OutputStream out) throws IOException {
    if (node.isRawLeaf()) {
      byte[] bytes = node.rawBytes();
      int start = (int) Math.min(from, bytes.length);
      int end = (int) Math.min(to, bytes.length);
      out.write(bytes, start, Math.max(0, end - start));
      return;
    }
    if (node.type() != EntryType.FILE) {
      throw new UnixfsException(
          node.cid()
              + " is a "
              + node.type().name().toLowerCase(java.util.Locale.ROOT)
              + ", not a file");
    }
    long dataLength = node.data().getData().size();
    if (from < dataLength) {
      node.data().getData().substring((int) from, (int) Math.min(to, dataLength)).writeTo(out);
    }
    List<PbLink> links = node.links();
    List<Long> blocksizes = node.data().getBlocksizesList();
    if (links.size() != blocksizes.size()) {
      throw new UnixfsException(
          node.cid()
              + " has "
              + links.size()
              + " links but "
              + blocksizes.size()
              + " blocksizes; a UnixFS file needs one per link");
    }
    long pos = dataLength;
    for (int i = 0; i < links.size() && pos < to; i++) {
      long end = pos + blocksizes.get(i);
      if (end > from) {
        UnixfsNode child = UnixfsNode.load(store, links.get(i).hash());
        read(child, Math.max(0, from - pos), Math.min(to, end) - pos, out);
      }
      pos = end;
    }
  }
}
