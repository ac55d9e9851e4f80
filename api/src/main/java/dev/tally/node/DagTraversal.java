package dev.tally.node;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.Links;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.unixfs.pb.UnixfsProto;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a DAG depth-first in link order (the order CAR exports and trustless gateways use),
 * visiting each block once. Identity CIDs are not visited: their bytes are in the CID. Blocking.
 */
public final class DagTraversal {
  /** Receives blocks in traversal order. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Block block) throws IOException;
  }

  /** How much of the DAG under a root to walk (the trustless gateway's {@code dag-scope}). */
  public enum Scope {
    /** Only the root block. */
    BLOCK,
    /**
     * The root's entity: a whole UnixFS file, a UnixFS directory's own node and HAMT shards but not
     * its children, or only the block for other data.
     */
    ENTITY,
    /** Everything reachable. */
    ALL
  }

  private final Blockstore store;
  private final Set<Multihash> seen = new HashSet<>();

  public DagTraversal(Blockstore store) {
    this.store = store;
  }

  /** Loads {@code cid} or throws {@link BlockNotFoundException}. */
  public Block load(Cid cid) {
    return store.get(cid).orElseThrow(() -> new BlockNotFoundException(cid));
  }

  /**
   * Visits the blocks under {@code root} that {@code scope} selects, skipping any visited before by
   * this traversal.
   */
  public void walk(Cid root, Scope scope, Visitor visitor) throws IOException {
    Deque<Cid> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (cid.multihash().isIdentity() || !seen.add(cid.multihash())) {
        continue;
      }
      Block block = load(cid);
      visitor.visit(block);
      List<Cid> children = children(block, scope);
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(children.get(i));
      }
    }
  }

  /** Visits one block (the blocks a path resolution went through), once per traversal. */
  public void visitOnce(Block block, Visitor visitor) throws IOException {
    if (!block.cid().multihash().isIdentity() && seen.add(block.cid().multihash())) {
      visitor.visit(block);
    }
  }

  private static List<Cid> children(Block block, Scope scope) {
    switch (scope) {
      case BLOCK:
        return List.of();
      case ALL:
        return Links.of(block);
      default:
        return entityChildren(block);
    }
  }

  /** Within an entity: all of a file's blocks, and a sharded directory's own shards. */
  private static List<Cid> entityChildren(Block block) {
    if (block.cid().codec() != Multicodec.DAG_PB) {
      return List.of();
    }
    PbNode node = DagPb.decode(block.bytes());
    UnixfsProto.Data.DataType type;
    try {
      type = UnixfsProto.Data.parseFrom(node.data().orElse(new byte[0])).getType();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return List.of(); // dag-pb without UnixFS data: the block is the entity
    }
    return switch (type) {
      case File, Raw -> Links.of(block);
      case HAMTShard ->
          // A link named by its two-hex-digit bucket alone points to a sub-shard of this
          // directory; longer names are entries.
          node.links().stream()
              .filter(l -> l.name().orElse("").length() == 2)
              .map(PbLink::hash)
              .toList();
      default -> List.of();
    };
  }
}
