package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads HAMT-sharded directories: walks all entries, or finds one name by its hash. */
final class HamtReader {
  /**
   * Deepest shard level read. A name's 64-bit hash is used up after 64 levels even at fanout 2 (one
   * bit per level), so a real directory needs a deeper shard only if two of its names collide in
   * all 64 bits; a hostile DAG can link shards any depth, and the walk recurses per level.
   */
  static final int MAX_DEPTH = 64;

  private final Blockstore store;

  HamtReader(Blockstore store) {
    this.store = store;
  }

  /** Calls {@code visitor} with every (name, CID) below {@code shard}, in shard order. */
  void forEach(UnixfsNode shard, BiConsumer<String, Cid> visitor) {
    forEach(shard, visitor, 0);
  }

  private void forEach(UnixfsNode shard, BiConsumer<String, Cid> visitor, int level) {
    requireDepth(shard, level);
    int pad = padLength(shard);
    for (PbLink link : shard.links()) {
      String name = link.name().orElse("");
      if (name.length() < pad) {
        throw new UnixfsException(
            shard.cid() + " has a shard link without its slot prefix: '" + name + "'");
      }
      if (name.length() == pad) {
        UnixfsNode child = UnixfsNode.load(store, link.hash());
        requireShard(child);
        forEach(child, visitor, level + 1);
      } else {
        visitor.accept(name.substring(pad), link.hash());
      }
    }
  }

  Optional<Cid> find(UnixfsNode shard, String name, int level) {
    requireDepth(shard, level);
    int fanout = (int) shard.data().getFanout();
    int pad = padLength(shard);
    int slot = HamtHash.slot(name, level, Integer.numberOfTrailingZeros(fanout));
    String hex = Integer.toHexString(slot).toUpperCase(Locale.ROOT);
    String prefix = "0".repeat(pad - hex.length()) + hex;
    for (PbLink link : shard.links()) {
      String linkName = link.name().orElse("");
      if (linkName.equals(prefix)) {
        UnixfsNode child = UnixfsNode.load(store, link.hash());
        requireShard(child);
        return find(child, name, level + 1);
      }
      if (linkName.equals(prefix + name)) {
        return Optional.of(link.hash());
      }
    }
    return Optional.empty();
  }

  private static void requireDepth(UnixfsNode shard, int level) {
    if (level > MAX_DEPTH) {
      throw new UnixfsException(
          shard.cid() + " is a HAMT shard nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private static void requireShard(UnixfsNode node) {
    if (!node.isHamt()) {
      throw new UnixfsException(node.cid() + " is linked as a HAMT shard but is not one");
    }
  }

  private static int padLength(UnixfsNode shard) {
    long fanout = shard.data().getFanout();
    if (fanout < 2 || fanout > 1024 || Long.bitCount(fanout) != 1) {
      throw new UnixfsException(
          shard.cid() + " has HAMT fanout " + fanout + ", expected a power of two");
    }
    return Long.toHexString(fanout - 1).length();
  }
}
