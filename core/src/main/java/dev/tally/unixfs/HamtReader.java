package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Reads HAMT-sharded directories: walks all entries, or finds one name by its hash. */
final class HamtReader {
  private final Blockstore store;

  HamtReader(Blockstore store) {
    this.store = store;
  }

  /** Calls {@code visitor} with every (name, CID) below {@code shard}, in shard order. */
  void forEach(UnixfsNode shard, BiConsumer<String, Cid> visitor) {
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
        forEach(child, visitor);
      } else {
        visitor.accept(name.substring(pad), link.hash());
      }
    }
  }

  Optional<Cid> find(UnixfsNode shard, String name, int level) {
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
