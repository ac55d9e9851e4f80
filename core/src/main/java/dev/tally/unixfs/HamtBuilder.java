package dev.tally.unixfs;

import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds a HAMT-sharded directory as go-unixfs and js hamt-sharding do: each shard has {@code
 * fanout} slots indexed by successive bits of the name's murmur3-x64-64 hash; two names meeting in
 * a slot move into a child shard one level down. Link names are the slot in upper-case hex (two
 * digits for fanout 256), followed by the entry name for entries; shard links have the prefix
 * alone.
 */
final class HamtBuilder {
  private final int fanout;
  private final int bits;
  private final int padLength;
  private final CidMaker cids;
  private final BlockSink sink;

  HamtBuilder(int fanout, CidMaker cids, BlockSink sink) {
    this.fanout = fanout;
    this.bits = Integer.numberOfTrailingZeros(fanout);
    this.padLength = Integer.toHexString(fanout - 1).length();
    this.cids = cids;
    this.sink = sink;
  }

  DagRef build(List<DirEntry> entries, Metadata rootMeta) {
    Shard root = new Shard(0);
    for (DirEntry e : entries) {
      put(root, e);
    }
    return write(root, rootMeta);
  }

  private final class Shard {
    final int level;
    final Object[] slots = new Object[fanout]; // DirEntry or Shard

    Shard(int level) {
      this.level = level;
    }
  }

  private void put(Shard shard, DirEntry entry) {
    int slot = HamtHash.slot(entry.name(), shard.level, bits);
    Object existing = shard.slots[slot];
    if (existing == null) {
      shard.slots[slot] = entry;
    } else if (existing instanceof Shard child) {
      put(child, entry);
    } else if (((DirEntry) existing).name().equals(entry.name())) {
      shard.slots[slot] = entry;
    } else {
      Shard child = new Shard(shard.level + 1);
      put(child, (DirEntry) existing);
      put(child, entry);
      shard.slots[slot] = child;
    }
  }

  private DagRef write(Shard shard, Metadata meta) {
    List<PbLink> links = new ArrayList<>();
    byte[] bitfield = new byte[(fanout + 7) / 8];
    long tsize = 0;
    for (int i = 0; i < fanout; i++) {
      Object slot = shard.slots[i];
      if (slot == null) {
        continue;
      }
      bitfield[bitfield.length - 1 - i / 8] |= (byte) (1 << (i % 8));
      String prefix = prefix(i);
      DagRef ref;
      String name;
      if (slot instanceof Shard child) {
        ref = write(child, Metadata.NONE);
        name = prefix;
      } else {
        DirEntry e = (DirEntry) slot;
        ref = e.ref();
        name = prefix + e.name();
      }
      links.add(PbLink.of(ref.cid(), name, ref.tsize()));
      tsize += ref.tsize();
    }
    byte[] block = UnixfsNodes.hamtShard(links, minimal(bitfield), fanout, meta);
    Cid cid = cids.cid(Multicodec.DAG_PB, block);
    sink.put(cid, block);
    return new DagRef(cid, tsize + block.length, 0);
  }

  private String prefix(int slot) {
    String hex = Integer.toHexString(slot).toUpperCase(Locale.ROOT);
    return "0".repeat(padLength - hex.length()) + hex;
  }

  /** The bitfield as a minimal big-endian integer, as go's big.Int/go-bitfield write it. */
  private static byte[] minimal(byte[] bigEndian) {
    int i = 0;
    while (i < bigEndian.length - 1 && bigEndian[i] == 0) {
      i++;
    }
    return Arrays.copyOfRange(bigEndian, i, bigEndian.length);
  }
}
