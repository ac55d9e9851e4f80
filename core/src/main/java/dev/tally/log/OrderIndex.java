package dev.tally.log;

import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;

/**
 * The index root a checkpoint states: the CIDs of the entries it covers in their Lamport order
 * (time, author, CID — independent of which checkpoints are final), as a two-level DAG-CBOR list: a
 * root {@code {v: 1, count, chunks: [CID]}} over chunks, each a list of at most {@link #CHUNK}
 * entry CIDs. A replica that holds the history recomputes it; a new replica reads it to learn which
 * entries, in which order, a final checkpoint covers before it holds them.
 */
public final class OrderIndex {
  /** Entry CIDs per chunk: about 150 KiB, well under the exchange's block limit. */
  public static final int CHUNK = 4096;

  /** Chunks per root (about 1 MiB of links): 100 million entries. */
  public static final int MAX_CHUNKS = 24_000;

  /**
   * A built index.
   *
   * @param root the root block's CID
   * @param blocks the root, then the chunks in order
   */
  public record Built(Cid root, List<Block> blocks) {
    public Built {
      blocks = List.copyOf(blocks);
    }
  }

  private OrderIndex() {}

  /** The index of {@code ordered}, entry CIDs already in order. */
  public static Built build(List<Cid> ordered) {
    if ((ordered.size() + CHUNK - 1) / CHUNK > MAX_CHUNKS) {
      throw new LogException(
          "an order index holds at most " + (long) CHUNK * MAX_CHUNKS + " entries");
    }
    List<Block> chunks = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i += CHUNK) {
      List<IpldNode> links = new ArrayList<>(CHUNK);
      for (Cid c : ordered.subList(i, Math.min(ordered.size(), i + CHUNK))) {
        links.add(IpldNode.of(c));
      }
      chunks.add(Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.list(links))));
    }
    IpldNode root =
        IpldNode.map()
            .put("v", 1L)
            .put("count", (long) ordered.size())
            .put(
                "chunks",
                IpldNode.list(chunks.stream().map(b -> (IpldNode) IpldNode.of(b.cid())).toList()))
            .build();
    Block rootBlock = Block.create(DagCbor.CODE, DagCbor.encode(root));
    List<Block> all = new ArrayList<>(chunks.size() + 1);
    all.add(rootBlock);
    all.addAll(chunks);
    return new Built(rootBlock.cid(), all);
  }

  /**
   * The CIDs the index at {@code root} lists, reading its blocks from {@code source} (untrusted:
   * each block is re-hashed) and checking its shape: every chunk but the last full, the count
   * right, at most {@code maxEntries} entries.
   *
   * @throws LogException naming what is missing or wrong
   */
  public static List<Cid> read(Cid root, EntrySource source, long maxEntries) {
    IpldMap r = decode(root, source).asMap();
    try {
      long count = r.get("count").orElseThrow().asLong();
      List<IpldNode> chunks = r.get("chunks").orElseThrow().asList();
      if (r.get("v").orElseThrow().asLong() != 1 || r.size() != 3) {
        throw new LogException("order index " + root + " is not a version-1 index");
      }
      if (count > maxEntries || count < 0) {
        throw new LogException(
            "order index " + root + " lists " + count + " entries, over the limit " + maxEntries);
      }
      if (chunks.size() != (count + CHUNK - 1) / CHUNK) {
        throw new LogException(
            "order index " + root + " has " + chunks.size() + " chunks for " + count + " entries");
      }
      List<Cid> out = new ArrayList<>((int) count);
      for (int i = 0; i < chunks.size(); i++) {
        List<IpldNode> links = decode(chunks.get(i).asLink(), source).asList();
        long expected = Math.min(CHUNK, count - (long) i * CHUNK);
        if (links.size() != expected) {
          throw new LogException(
              "order index "
                  + root
                  + ": chunk "
                  + i
                  + " holds "
                  + links.size()
                  + ", not "
                  + expected);
        }
        for (IpldNode l : links) {
          out.add(l.asLink());
        }
      }
      return out;
    } catch (IllegalStateException | ArithmeticException | java.util.NoSuchElementException e) {
      throw new LogException("order index " + root + " is malformed: " + e.getMessage(), e);
    }
  }

  private static IpldNode decode(Cid cid, EntrySource source) {
    Block b =
        source
            .get(cid)
            .orElseThrow(() -> new LogException("block " + cid + " of an order index is missing"));
    if (b.size() > 2 * 1024 * 1024 || !cid.multihash().matches(b.bytes())) {
      throw new LogException("block " + cid + " of an order index does not hash to its CID");
    }
    try {
      return DagCbor.decode(b.bytes());
    } catch (CodecException e) {
      throw new LogException(
          "block " + cid + " of an order index is not DAG-CBOR: " + e.getMessage(), e);
    }
  }
}
