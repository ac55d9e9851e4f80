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
import java.util.Optional;
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

  /**
   * The content length of UnixFS file {@code root}, or empty when it is not a UnixFS file (a
   * directory, or other data): byte ranges apply to files only.
   */
  public java.util.OptionalLong fileSize(Block root) {
    if (root.cid().codec() == Multicodec.RAW) {
      return java.util.OptionalLong.of(root.size());
    }
    Optional<UnixfsProto.Data> data = unixfs(root);
    if (data.isEmpty()
        || (data.get().getType() != UnixfsProto.Data.DataType.File
            && data.get().getType() != UnixfsProto.Data.DataType.Raw)) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(fileSize(data.get()));
  }

  private static long fileSize(UnixfsProto.Data data) {
    if (data.hasFilesize()) {
      return data.getFilesize();
    }
    long size = data.getData().size();
    for (long b : data.getBlocksizesList()) {
      size += b;
    }
    return size;
  }

  /**
   * Visits the blocks of UnixFS file {@code root} needed to read bytes {@code from} to {@code to}
   * (inclusive): the nodes on the way down and the leaves that hold those bytes, in order (the
   * trustless gateway's {@code entity-bytes}).
   */
  public void walkRange(Cid root, long from, long to, Visitor visitor) throws IOException {
    walkRange(root, 0, from, to, visitor);
  }

  private void walkRange(Cid cid, long start, long from, long to, Visitor visitor)
      throws IOException {
    Block block = cid.multihash().isIdentity() ? null : load(cid);
    if (block != null && seen.add(cid.multihash())) {
      visitor.visit(block);
    }
    if (block == null || cid.codec() != Multicodec.DAG_PB) {
      return;
    }
    PbNode node = DagPb.decode(block.bytes());
    Optional<UnixfsProto.Data> data = unixfs(block);
    if (data.isEmpty()) {
      return;
    }
    long offset = start + data.get().getData().size();
    List<PbLink> links = node.links();
    for (int i = 0; i < links.size() && i < data.get().getBlocksizesCount(); i++) {
      long size = data.get().getBlocksizes(i);
      if (offset <= to && offset + size > from) {
        walkRange(links.get(i).hash(), offset, from, to, visitor);
      }
      offset += size;
    }
  }

  private static Optional<UnixfsProto.Data> unixfs(Block block) {
    if (block.cid().codec() != Multicodec.DAG_PB) {
      return Optional.empty();
    }
    try {
      Optional<byte[]> bytes = DagPb.decode(block.bytes()).data();
      return bytes.isEmpty()
          ? Optional.empty()
          : Optional.of(UnixfsProto.Data.parseFrom(bytes.get()));
    } catch (com.google.protobuf.InvalidProtocolBufferException | dev.tally.ipld.CodecException e) {
      return Optional.empty();
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
