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
  private final long maxStopBlocks;
  private final DagScope scope;
  private final List<Cid> stopRoots;
  private boolean stopWalked;
  private long blocks;

  DagWalk(DagRequest request, long maxBlocks) {
    this.maxDepth = request.depth();
    this.maxBlocks = Math.min(maxBlocks, request.maxBlocks());
    this.maxStopBlocks = maxBlocks;
    this.scope = request.scope();
    for (Cid c : request.stop()) {
      stop.add(c.multihash());
    }
    this.stopRoots =
        request.stopMode() == DagRequest.StopMode.REACHABLE ? request.stop() : List.of();
    this.stopWalked = stopRoots.isEmpty();
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
    if (!stopWalked) {
      walkStopSide(store);
      stopWalked = true;
    }
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
      if (s.depth() < maxDepth) {
        List<Cid> links = scope.links(b);
        for (int i = links.size() - 1; i >= 0; i--) {
          stack.push(new Step(links.get(i), s.depth() + 1));
        }
      }
    }
    return out;
  }

  /**
   * Adds everything this node holds below the stop CIDs to {@code stop}, so the walk sends exactly
   * what is reachable from the roots and not from them.
   *
   * @throws DagException if the stop side holds more than the block limit
   */
  private void walkStopSide(Blockstore store) {
    ArrayDeque<Cid> todo = new ArrayDeque<>(stopRoots);
    Set<Multihash> walked = new HashSet<>();
    while (!todo.isEmpty()) {
      Cid c = todo.pop();
      if (c.multihash().isIdentity() || !walked.add(c.multihash())) {
        continue;
      }
      if (walked.size() > maxStopBlocks) {
        throw new DagException(
            "the DAG below the stop CIDs holds more than "
                + maxStopBlocks
                + " blocks (the limit); ask with stopMode prune");
      }
      stop.add(c.multihash());
      if (c.codec() == Multicodec.RAW) {
        continue;
      }
      Optional<Block> held = store.get(c);
      if (held.isPresent()) {
        todo.addAll(Links.of(held.get()));
      }
    }
  }
}
