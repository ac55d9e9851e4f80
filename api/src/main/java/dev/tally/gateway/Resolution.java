package dev.tally.gateway;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.node.IpfsPath;
import dev.tally.unixfs.UnixfsException;
import dev.tally.unixfs.UnixfsExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A content path resolved to its terminal CID, with the CID of every path element ({@code
 * X-Ipfs-Roots}) and the blocks read on the way (what a CAR response must carry first so a client
 * can verify the path).
 *
 * @param terminal the CID the path names
 * @param roots the root and the CID reached after each segment
 * @param traversed the blocks read to resolve the segments, in order
 */
record Resolution(Cid terminal, List<Cid> roots, List<Block> traversed) {
  /** Resolves {@code path} through UnixFS directories (blocking); absent content is a 404. */
  static Resolution of(Blockstore store, IpfsPath path) {
    RecordingBlockstore recording = new RecordingBlockstore(store);
    UnixfsExporter exporter = new UnixfsExporter(recording);
    List<Cid> roots = new ArrayList<>();
    Cid current = path.root();
    roots.add(current);
    for (String segment : path.segments()) {
      if (current.codec() != Multicodec.DAG_PB && current.codec() != Multicodec.RAW) {
        throw new GatewayException(
            501,
            "cannot follow \""
                + segment
                + "\": "
                + current
                + " is "
                + Multicodec.describe(current.codec())
                + ", and this gateway walks paths through UnixFS only");
      }
      try {
        current = exporter.resolve(current, segment);
      } catch (UnixfsException e) {
        throw new GatewayException(
            404,
            recording
                .missing()
                .map(cid -> "block was not found locally (offline): " + cid)
                .orElse(e.getMessage()));
      }
      roots.add(current);
    }
    return new Resolution(current, roots, recording.read());
  }

  String rootsHeader() {
    return roots.stream().map(Cid::toString).collect(Collectors.joining(","));
  }
}
