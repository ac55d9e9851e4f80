package dev.tally.storage.gc;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.CheckpointRecords;
import dev.tally.log.Entry;
import dev.tally.log.LogVerificationException;
import dev.tally.log.StateLayout;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.StorageException;
import dev.tally.storage.dag.BlockFetcher;
import dev.tally.storage.dag.DagWalker;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What garbage collection keeps of a log (ADR 026): the log's own structure and nothing its records
 * merely name. From the heads it keeps every entry block and follows the entry links ({@code next},
 * the skip links {@code refs}) and the manifest ({@code log}); of a checkpoint record it keeps the
 * order index (root and chunks, not the entries they list again) and the state DAG as the state's
 * {@link StateLayout} says. A record's other links (a cluster pin's content, a lending record's
 * references to earlier entries) are not followed: content is kept by pins, and an earlier entry of
 * the log is kept as an entry, from the heads.
 *
 * <p>A block the node does not hold is skipped (a replica may lack a checkpoint's state, which it
 * recomputes); an entry it holds but cannot decode stops the collection, since the entries behind
 * it would look unreachable.
 */
final class LogBlocks {
  private final Blockstore store;
  private final Map<String, StateLayout> layouts;
  private final Predicate<Cid> keep;

  /**
   * @param layouts state layouts by the {@code type} of a state root; a state of any other type is
   *     kept whole, as far as this node holds it
   * @param keep marks a block; returns whether it was not marked before (so a walk stops there)
   */
  LogBlocks(Blockstore store, Map<String, StateLayout> layouts, Predicate<Cid> keep) {
    this.store = store;
    this.layouts = layouts;
    this.keep = keep;
  }

  /** Marks the log named by {@code manifest} as far back as its {@code heads} reach. */
  void mark(Cid manifest, Collection<Cid> heads) {
    keep.test(manifest);
    Deque<Cid> todo = new ArrayDeque<>(heads);
    while (!todo.isEmpty()) {
      Cid cid = todo.pop();
      if (!keep.test(cid)) {
        continue;
      }
      Optional<Block> block = store.get(cid);
      if (block.isEmpty()) {
        continue;
      }
      Entry e;
      try {
        e = Entry.decode(block.get());
      } catch (LogVerificationException ex) {
        throw new GcException(
            "entry "
                + cid
                + " of log "
                + manifest
                + " cannot be decoded ("
                + ex.getMessage()
                + "), so the entries behind it are unknown; run 'tally log verify "
                + manifest
                + "'",
            ex);
      }
      keep.test(e.log());
      todo.addAll(e.next());
      todo.addAll(e.refs());
      try {
        CheckpointRecords.digest(e.record())
            .ifPresent(
                d -> {
                  markLayout(d.index(), ORDER_INDEX, 0);
                  d.state().ifPresent(this::markState);
                });
      } catch (IllegalArgumentException ex) {
        // A malformed checkpoint record is an ordinary entry to the log (it never became a
        // checkpoint): nothing of it but the entry is the log's.
      }
    }
  }

  /** An order index's own blocks are its root and chunks; the chunks list entries kept anyway. */
  private static final StateLayout ORDER_INDEX = StateLayout.rootAndChunks();

  private void markState(Cid root) {
    Optional<IpldNode> node = read(root);
    Optional<StateLayout> layout =
        node.filter(n -> n instanceof IpldMap)
            .flatMap(n -> ((IpldMap) n).get("type"))
            .filter(t -> t.kind() == IpldNode.Kind.STRING)
            .map(t -> layouts.get(t.asString()));
    if (layout.isPresent()) {
      markLayout(root, layout.get(), 0);
    } else if (node.isPresent()) {
      // A state this node cannot interpret is kept whole, as far as it is held.
      try {
        new DagWalker(store, BlockFetcher.OFFLINE)
            .walk(root, false, c -> keep.test(c) && (c.codec() == Multicodec.RAW || store.has(c)));
      } catch (StorageException e) {
        // An undecodable block of a state ends that branch: a state is never the only copy of
        // anything a log needs (the log recomputes it from its entries).
      }
    }
  }

  private void markLayout(Cid cid, StateLayout layout, int depth) {
    if (!keep.test(cid)) {
      return;
    }
    Optional<IpldNode> node = read(cid);
    if (node.isEmpty()) {
      return;
    }
    List<Cid> own;
    try {
      own = layout.ownLinks(node.get(), depth);
    } catch (RuntimeException e) {
      return; // not shaped as the layout says: its links are not the state's
    }
    for (Cid c : own) {
      markLayout(c, layout, depth + 1);
    }
  }

  private Optional<IpldNode> read(Cid cid) {
    if (cid.codec() != DagCbor.CODE) {
      return Optional.empty();
    }
    Optional<Block> b = store.get(cid);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(DagCbor.decode(b.get().bytes()));
    } catch (CodecException e) {
      return Optional.empty();
    }
  }
}
