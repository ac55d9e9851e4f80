package dev.tally.bench;

import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Garbage collection over {@code blocks} small blocks of which a tenth are pinned: recursive pins
 * of dag-pb roots with 99 raw leaves each, the rest unpinned raw blocks, interleaved in the packs.
 */
final class GcBench {
  private static final int LEAVES = 99;
  private static final int LEAF_BYTES = 64;

  private GcBench() {}

  static void run(Path dir, int blocks) {
    int roots = blocks / 10 / (LEAVES + 1);
    int garbage = blocks - roots * (LEAVES + 1);
    SplittableRandom r = new SplittableRandom(11);
    try (Repo repo = Repo.init(dir, RepoConfig.defaults())) {
      long t = System.nanoTime();
      List<Block> batch = new ArrayList<>();
      List<Cid> pinned = new ArrayList<>();
      int garbagePerRoot = garbage / Math.max(roots, 1);
      int garbageLeft = garbage;
      for (int i = 0; i < roots; i++) {
        List<PbLink> links = new ArrayList<>();
        for (int j = 0; j < LEAVES; j++) {
          Block leaf = Block.create(Multicodec.RAW, BenchData.randomBytes(LEAF_BYTES, r));
          batch.add(leaf);
          links.add(PbLink.of(leaf.cid(), "", LEAF_BYTES));
        }
        Block root = Block.create(Multicodec.DAG_PB, DagPb.encode(PbNode.of(links, new byte[0])));
        batch.add(root);
        pinned.add(root.cid());
        int n = i == roots - 1 ? garbageLeft : garbagePerRoot;
        for (int j = 0; j < n; j++) {
          batch.add(Block.create(Multicodec.RAW, BenchData.randomBytes(LEAF_BYTES, r)));
        }
        garbageLeft -= n;
        if (batch.size() >= 20_000) {
          repo.blocks().putAll(batch);
          batch.clear();
        }
      }
      repo.blocks().putAll(batch);
      repo.pins().pinAllImported(pinned, "");
      System.out.printf(
          "  GC setup: %d blocks (%d pinned under %d roots) stored in %.1f s%n",
          repo.blocks().size(), roots * (LEAVES + 1), roots, (System.nanoTime() - t) / 1e9);
      GarbageCollector.Result result = repo.gc().collect(new GarbageCollector.Listener() {});
      System.out.printf(
          "  repo gc over %d blocks       %8.2f s   = %5.1f %% of the 60 s goal; removed %d, kept %d,"
              + " %d pack bytes freed (%.0f blocks/s)%n",
          blocks,
          result.seconds(),
          100 * result.seconds() / 60,
          result.removedBlocks(),
          result.keptBlocks(),
          result.packBytesFreed(),
          blocks / result.seconds());
    }
  }
}
