package dev.tally.unixfs;

import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports one byte stream as a UnixFS file. A single-chunk file is its leaf (raw or dag-pb), as in
 * Kubo and ipfs-unixfs-importer ({@code reduceSingleLeafToSelf}); metadata then forces a dag-pb
 * file node holding the data. Larger files are laid out by a {@link FileLayout}; metadata goes on
 * the root only.
 */
final class FileBuilder {
  private final ImportOptions options;
  private final CidMaker cids;
  private final BlockSink sink;
  private final FileLayout layout;

  FileBuilder(ImportOptions options, CidMaker cids, BlockSink sink) {
    this.options = options;
    this.cids = cids;
    this.sink = sink;
    this.layout = FileLayout.of(options.layout(), options.maxLinks());
  }

  DagRef build(InputStream in, Metadata meta) throws IOException {
    LeafSource.Chunks chunks = chunks(in);
    Chunk first = chunks.next().orElseThrow(() -> new IllegalStateException("no first chunk"));
    Chunk second = chunks.next().orElse(null);
    if (second == null) {
      if (meta.isEmpty()) {
        return writeLeaf(first);
      }
      return store(UnixfsNodes.fileLeaf(first.bytes(), meta), first.length(), List.of());
    }
    LeafSource leaves = new LeafSource(chunks, this::encodeLeaf, sink, first, second);
    List<DagRef> rootChildren =
        layout.rootChildren(leaves, children -> writeNode(children, Metadata.NONE));
    return writeNode(rootChildren, meta);
  }

  /**
   * The file's chunks. Fixed-size chunks for dag-pb leaves are read with room for the leaf's
   * framing around them, so each leaf is built in the array its bytes were read into (see {@link
   * UnixfsNodes#fileLeaf(Chunk)}); that saves a copy of every byte of the file.
   */
  private LeafSource.Chunks chunks(InputStream in) {
    ChunkerSpec spec = options.chunker();
    if (!spec.rabin() && !options.rawLeaves()) {
      FixedSizeChunker fixed =
          new FixedSizeChunker(
              in, spec.max(), UnixfsNodes.leafHead(spec.max()), UnixfsNodes.leafTail(spec.max()));
      return fixed::nextChunk;
    }
    Chunker chunker = spec.open(in);
    return () -> chunker.next().map(Chunk::of);
  }

  private DagRef writeLeaf(Chunk chunk) {
    LeafSource.Leaf leaf = encodeLeaf(chunk);
    sink.put(leaf.ref().cid(), leaf.block());
    return leaf.ref();
  }

  /** Thread-safe: runs on the hashing pool. */
  private LeafSource.Leaf encodeLeaf(Chunk chunk) {
    if (options.rawLeaves()) {
      byte[] raw = chunk.bytes();
      return new LeafSource.Leaf(
          new DagRef(cids.cid(Multicodec.RAW, raw), raw.length, raw.length), raw);
    }
    byte[] block = UnixfsNodes.fileLeaf(chunk);
    return new LeafSource.Leaf(
        new DagRef(cids.cid(Multicodec.DAG_PB, block), block.length, chunk.length()), block);
  }

  private DagRef writeNode(List<DagRef> children, Metadata meta) {
    List<PbLink> links = new ArrayList<>(children.size());
    long content = 0;
    for (DagRef child : children) {
      links.add(PbLink.of(child.cid(), "", child.tsize()));
      content += child.contentSize();
    }
    return store(UnixfsNodes.fileNode(children, links, meta), content, children);
  }

  private DagRef store(byte[] block, long contentSize, List<DagRef> children) {
    Cid cid = cids.cid(Multicodec.DAG_PB, block);
    long tsize = block.length;
    for (DagRef child : children) {
      tsize += child.tsize();
    }
    sink.put(cid, block);
    return new DagRef(cid, tsize, contentSize);
  }
}
