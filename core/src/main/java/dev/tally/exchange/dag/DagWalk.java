package dev.tally.exchange.dag;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sender's walk of one request: depth first in link order (so a file's bytes go out in order
 * and every block's CID was named by a block before it), skipping stop CIDs, blocks already sent
 * and blocks this node lacks (the receiver then finds them missing). It holds CIDs, never block
 * bytes beyond one batch. Used by one response at a time; each batch runs on a worker thread.
 */
final class DagWalk {
  private record Step(Cid cid, int depth) {}

  private final ArrayDeque<Step> stack = new ArrayDeque<>();
  private final Set<Multihash> seen = new HashSet<>();
  private final Set<Multihash> stop = new HashSet<>();
  private final int maxDepth;
  private final long maxBlocks;
  private long blocks;

  DagWalk(DagRequest request, long maxBlocks) {
    this.maxDepth = request.depth();
    this.maxBlocks = Math.min(maxBlocks, request.maxBlocks());
    for (Cid c : request.stop()) {
      stop.add(c.multihash());
    }
    List<Cid> roots = request.roots();
    for (int i = roots.size() - 1; i >= 0; i--) {
      stack.push(new Step(roots.get(i), 0));
    }
  }

  boolean done() {
    return stack.isEmpty() || blocks >= maxBlocks;
  }

  /** Reads the next blocks, up to about {@code maxBytes} (at least one block if any is left). */
  List<Block> next(Blockstore store, long maxBytes) {
    List<Block> out = new ArrayList<>();
    long bytes = 0;
    while (!done() && bytes < maxBytes) {
      Step s = stack.pop();
      Multihash mh = s.cid().multihash();
      if (mh.isIdentity() || stop.contains(mh) || !seen.add(mh)) {
        continue;
      }
      Optional<Block> held = store.get(s.cid());
      if (held.isEmpty()) {
        continue;
      }
      // Name the block as the link did: CIDv0 and CIDv1 of one multihash share a stored block.
      Block b =
          held.get().cid().equals(s.cid())
              ? held.get()
              : Block.ofOwned(s.cid(), held.get().bytes());
      out.add(b);
      blocks++;
      bytes += b.size();
      if (s.depth() < maxDepth && s.cid().codec() != Multicodec.RAW) {
        List<Cid> links = Links.of(b);
        for (int i = links.size() - 1; i >= 0; i--) {
          stack.push(new Step(links.get(i), s.depth() + 1));
        }
      }
    }
    return out;
  }
}
