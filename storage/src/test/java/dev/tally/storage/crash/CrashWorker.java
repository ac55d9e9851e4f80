package dev.tally.storage.crash;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child of {@link CrashHarnessTest}: opens the repo and adds files, puts and pins blocks,
 * unpins and collects garbage in a loop, writing {@code ACK ...} after each operation returned (and
 * {@code BEGIN ...} before the ones that take something away), until it is killed.
 *
 * <p>Those lines go to a file ({@code args[2]}), one unbuffered {@code write} each, not to stdout:
 * once {@code write} returns the line is in the page cache and survives SIGKILL, while the last
 * lines of a killed child's stdout pipe were sometimes never seen by the parent (the harness then
 * missed a {@code BEGIN unpin} and reported the unpinned CID as a lost pin). Stdout only says
 * {@code READY}.
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    PrintStream ready = new PrintStream(System.out, true);
    Acks out = new Acks(new FileOutputStream(args[2], true));
    // Small packs, so kills also land around pack rolls.
    PackOptions packs = PackOptions.defaults().withPackBytes(1 << 20);
    Repo repo = Repo.open(dir, packs);
    try {
      ImportOptions options = ImportOptions.builder(Profile.UNIXFS_V0_2015).build();
      List<Cid> pins = new ArrayList<>(repo.pins().recursiveRoots());
      ready.println("READY");
      for (long op = 0; ; op++) {
        int kind = random.nextInt(20);
        if (kind < 10) {
          byte[] data = new byte[1 + random.nextInt(400_000)];
          random.nextBytes(data);
          try (BlockLeases.Lease lease = repo.leases().open()) {
            UnixfsImporter importer = new UnixfsImporter(lease.guard(repo.blocks()), options);
            Cid root = importer.importStream(new ByteArrayInputStream(data), "").cid();
            repo.pins().pinImported(root, "");
            pins.add(root);
            out.println("ACK recursive " + root);
          }
        } else if (kind < 15) {
          List<Block> batch = new ArrayList<>();
          for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
            byte[] data = new byte[1 + random.nextInt(60_000)];
            random.nextBytes(data);
            batch.add(Block.create(Multicodec.RAW, data));
          }
          repo.blocks().putAll(batch);
          for (Block b : batch) {
            out.println("ACK block " + b.cid());
          }
          repo.pins().add(batch.get(0).cid(), false, "");
          out.println("ACK direct " + batch.get(0).cid());
        } else if (kind < 18 && !pins.isEmpty()) {
          Cid victim = pins.remove(random.nextInt(pins.size()));
          out.println("BEGIN unpin " + victim);
          repo.pins().rm(victim, true);
          out.println("ACK unpin " + victim);
        } else {
          out.println("BEGIN gc");
          GarbageCollector.Result r = repo.gc().collect(new GarbageCollector.Listener() {});
          out.println("ACK gc " + r.removedBlocks());
          if (random.nextBoolean()) {
            // Also kill inside a database rewrite (copy, sync, rename, switch).
            out.println("BEGIN rewrite");
            out.println("ACK rewrite " + repo.database().rewrite());
          }
        }
      }
    } finally {
      repo.close();
    }
  }

  /** Writes each line with one unbuffered write: it is in the page cache when this returns. */
  private record Acks(FileOutputStream file) {
    void println(String line) throws IOException {
      file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
