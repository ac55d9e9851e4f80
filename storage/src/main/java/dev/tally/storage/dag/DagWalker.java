package dev.tally.storage.dag;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.StorageException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Depth-first walk of the DAG under a root over a blockstore, fetching missing blocks through a
 * {@link BlockFetcher} (and storing what it fetches). Raw blocks have no links, so they are only
 * checked for presence (or not at all, for marking), never read.
 */
public final class DagWalker {
  private final Blockstore store;
  private final BlockFetcher fetcher;

  public DagWalker(Blockstore store, BlockFetcher fetcher) {
    this.store = store;
    this.fetcher = fetcher;
  }

  /**
   * Walks from {@code root}. {@code enter} is called once per CID reached (before the block is
   * read); it returns whether to go on into that block (false: already seen, or known to be
   * complete).
   *
   * @param requireLeaves whether blocks without links must be present too (pinning: yes; marking
   *     for garbage collection: no, an absent leaf has nothing to keep)
   * @throws MissingBlockException if a block that must be read is absent and cannot be fetched
   * @throws StorageException if a block cannot be decoded to find its links
   */
  public void walk(Cid root, boolean requireLeaves, Predicate<Cid> enter) {
    Deque<Cid> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (!enter.test(cid)) {
        continue;
      }
      if (cid.codec() == Multicodec.RAW) {
        if (requireLeaves && !store.has(cid)) {
          require(cid);
        }
        continue;
      }
      Block block = store.get(cid).orElseGet(() -> require(cid));
      List<Cid> links;
      try {
        links = Links.of(cid.codec(), block.bytes());
      } catch (CodecException e) {
        throw new StorageException(
            "cannot follow the links of block " + cid + ": " + e.getMessage(), e);
      }
      for (int i = links.size() - 1; i >= 0; i--) {
        stack.push(links.get(i));
      }
    }
  }

  private Block require(Cid cid) {
    Optional<Block> fetched = fetcher.fetch(cid);
    if (fetched.isEmpty()) {
      throw new MissingBlockException(cid);
    }
    store.put(fetched.get());
    return fetched.get();
  }
}
