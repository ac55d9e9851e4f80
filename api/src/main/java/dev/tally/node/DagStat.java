package dev.tally.node;

import dev.tally.blockstore.Blockstore;
import dev.tally.multiformats.Cid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code dag stat} reports: per root its block count and total block bytes, and over all roots
 * the unique blocks, with the bytes of blocks shared between roots counted once. Blocking.
 */
public final class DagStat {
  private DagStat() {}

  /** Kubo's {@code dag/stat} JSON: {@code TotalSize, SharedSize, UniqueBlocks, Ratio, DagStats}. */
  public static JsonObject of(Blockstore blocks, List<Cid> roots) throws IOException {
    JsonArray stats = new JsonArray();
    Set<Cid> unique = new HashSet<>();
    long total = 0;
    long uniqueSize = 0;
    for (Cid root : roots) {
      long[] size = new long[3]; // bytes, blocks, bytes of blocks not seen under earlier roots
      new DagTraversal(blocks)
          .walk(
              root,
              DagTraversal.Scope.ALL,
              block -> {
                size[0] += block.size();
                size[1]++;
                if (unique.add(block.cid())) {
                  size[2] += block.size();
                }
              });
      total += size[0];
      uniqueSize += size[2];
      stats.add(
          new JsonObject()
              .put("Cid", new JsonObject().put("/", root.toString()))
              .put("Size", size[0])
              .put("NumBlocks", size[1]));
    }
    return new JsonObject()
        .put("TotalSize", total)
        .put("SharedSize", total - uniqueSize)
        .put("UniqueBlocks", unique.size())
        .put("Ratio", uniqueSize == 0 ? 1.0 : (double) total / uniqueSize)
        .put("DagStats", stats);
  }
}
