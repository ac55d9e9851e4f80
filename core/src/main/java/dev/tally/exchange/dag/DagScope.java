package dev.tally.exchange.dag;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.Links;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How much of the DAG under each root a request covers, as the trustless gateway's {@code
 * dag-scope} names it: {@link #BLOCK} the roots alone; {@link #ENTITY} what it takes to read each
 * root as one thing (a UnixFS file's every chunk, a directory's own blocks including HAMT shards
 * but not its entries, any other block alone); {@link #ALL} everything reachable. Sender and
 * receiver follow the same links ({@link #links}), so the receiver can check every block it gets.
 */
public enum DagScope {
  BLOCK,
  ENTITY,
  ALL;

  /** The name on the wire: {@code block}, {@code entity} or {@code all}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DagScope> byWireName(String name) {
    for (DagScope s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * The links of {@code block} (read as its CID's codec) that this scope walks into.
   *
   * @throws RuntimeException if the block does not decode as its codec
   */
  public List<Cid> links(Block block) {
    return switch (this) {
      case BLOCK -> List.of();
      case ALL -> block.cid().codec() == Multicodec.RAW ? List.of() : Links.of(block);
      case ENTITY -> entityLinks(block);
    };
  }

  private static List<Cid> entityLinks(Block block) {
    if (block.cid().codec() != Multicodec.DAG_PB) {
      return List.of(); // a raw leaf, or a DAG-CBOR/JSON block: the block is the entity
    }
    PbNode node = DagPb.decode(block.bytes());
    if (node.data().isEmpty()) {
      return List.of();
    }
    Data unixfs;
    try {
      unixfs = Data.parseFrom(node.data().get());
    } catch (InvalidProtocolBufferException e) {
      return List.of(); // dag-pb but not UnixFS: the block alone
    }
    return switch (unixfs.getType()) {
      case File, Raw -> node.links().stream().map(PbLink::hash).toList();
      case HAMTShard -> shardLinks(node, unixfs);
      default -> List.of(); // a directory's entries, a symlink, metadata: not part of it
    };
  }

  /** A HAMT shard's links to deeper shards: those named by the bucket prefix alone. */
  private static List<Cid> shardLinks(PbNode node, Data shard) {
    long fanout = shard.getFanout();
    if (fanout < 2 || fanout > 1024 || Long.bitCount(fanout) != 1) {
      return List.of();
    }
    int prefix = Long.toHexString(fanout - 1).length();
    List<Cid> out = new ArrayList<>();
    for (PbLink l : node.links()) {
      if (l.name().map(String::length).orElse(-1) == prefix) {
        out.add(l.hash());
      }
    }
    return out;
  }
}
