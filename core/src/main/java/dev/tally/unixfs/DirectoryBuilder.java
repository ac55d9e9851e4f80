package dev.tally.unixfs;

import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one directory: a flat dag-pb directory while it is small, a HAMT once its size passes the
 * threshold (measured by the {@link ShardSplitStrategy}), as Kubo and ipfs-unixfs-importer decide.
 */
final class DirectoryBuilder {
  private final ImportOptions options;
  private final CidMaker cids;
  private final BlockSink sink;
  private final HamtBuilder hamt;

  DirectoryBuilder(ImportOptions options, CidMaker cids, BlockSink sink) {
    this.options = options;
    this.cids = cids;
    this.sink = sink;
    this.hamt = new HamtBuilder(options.hamtFanout(), cids, sink);
  }

  DagRef build(List<DirEntry> entries, Metadata meta) {
    if (options.shardSplitStrategy() == ShardSplitStrategy.LINKS_BYTES
        && linksBytes(entries) > options.shardSplitThresholdBytes()) {
      return hamt.build(entries, meta);
    }
    List<PbLink> links = new ArrayList<>(entries.size());
    long tsize = 0;
    for (DirEntry e : entries) {
      links.add(PbLink.of(e.ref().cid(), e.name(), e.ref().tsize()));
      tsize += e.ref().tsize();
    }
    links.sort(DirectoryBuilder::byNameBytes);
    byte[] block = UnixfsNodes.directory(links, meta);
    if (options.shardSplitStrategy() == ShardSplitStrategy.BLOCK_BYTES
        && block.length > options.shardSplitThresholdBytes()) {
      return hamt.build(entries, meta);
    }
    Cid cid = cids.cid(Multicodec.DAG_PB, block);
    sink.put(cid, block);
    return new DagRef(cid, tsize + block.length, 0);
  }

  /** Kubo's estimate: name bytes plus CID bytes per link. */
  private static long linksBytes(List<DirEntry> entries) {
    long size = 0;
    for (DirEntry e : entries) {
      size += e.name().getBytes(StandardCharsets.UTF_8).length + e.ref().cid().encodedLength();
    }
    return size;
  }

  private static int byNameBytes(PbLink a, PbLink b) {
    return Arrays.compareUnsigned(
        a.name().orElse("").getBytes(StandardCharsets.UTF_8),
        b.name().orElse("").getBytes(StandardCharsets.UTF_8));
  }
}
