package dev.tally.cli;

import dev.tally.blockstore.Blockstore;
import dev.tally.car.CarReader;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.repo.Repo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally dag import FILE...}: stores every block of CAR archives (v1 or v2), each block
 * verified against its CID before it is stored. A bad block aborts the import of that archive with
 * its CID named; batches already stored are whole, verified blocks. Then the roots named in the
 * headers are pinned recursively (unless {@code --pin-roots=false}), one line per root as Kubo
 * prints it; a root that cannot be pinned (its DAG is incomplete) fails the command.
 */
@Command(name = "import", description = "Import the contents of .car files.")
final class DagImportCommand implements Callable<Integer> {
  private static final int BATCH_BLOCKS = 256;
  private static final long BATCH_BYTES = 16L << 20;

  @Mixin RepoOption repo;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "CAR files (stdin if none).")
  List<String> files = List.of();

  @Option(names = "--stats", description = "Output stats.")
  boolean stats;

  @Option(
      names = "--pin-roots",
      arity = "0..1",
      fallbackValue = "true",
      description = "Pin optional roots listed in the .car headers after importing (default true).")
  boolean pinRoots = true;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    long blocks = 0;
    long bytes = 0;
    Set<Cid> roots = new LinkedHashSet<>();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      ApiClient.lines(
          daemon
              .get()
              .upload(
                  "dag/import",
                  Params.of().add("pin-roots", pinRoots).add("stats", stats),
                  Uploads.parts(files.isEmpty() ? List.of("-") : files)),
          line -> {
            var root = line.getJsonObject("Root");
            if (root != null) {
              String error = root.getString("PinErrorMsg", "");
              failed |= !error.isEmpty();
              spec.commandLine()
                  .getOut()
                  .println(
                      "Pinned root\t"
                          + root.getJsonObject("Cid").getString("/")
                          + "\t"
                          + (error.isEmpty() ? "success" : "FAILED: " + error));
            }
            var s = line.getJsonObject("Stats");
            if (s != null) {
              spec.commandLine()
                  .getOut()
                  .println(
                      "Imported "
                          + s.getLong("BlockCount")
                          + " blocks ("
                          + s.getLong("BlockBytesCount")
                          + " bytes)");
            }
          });
      return failed ? 1 : 0;
    }
    try (Repo r = repo.openOrInit();
        BlockLeases.Lease lease = r.leases().open()) {
      // The lease keeps the imported blocks from a concurrent GC until the roots are pinned.
      Blockstore store = lease.guard(r.blocks());
      for (String file : files.isEmpty() ? List.of("-") : files) {
        try (InputStream in =
                new BufferedInputStream(
                    "-".equals(file)
                        ? new NonClosingInput(Io.current().in)
                        : Files.newInputStream(Path.of(file)),
                    1 << 16);
            CarReader car = CarReader.open(in)) {
          roots.addAll(car.roots());
          List<Block> batch = new ArrayList<>();
          long batchBytes = 0;
          for (Optional<Block> next = car.next(); next.isPresent(); next = car.next()) {
            Block block = next.get();
            batch.add(block);
            batchBytes += block.size();
            blocks++;
            bytes += block.size();
            if (batch.size() >= BATCH_BLOCKS || batchBytes >= BATCH_BYTES) {
              store.putAll(batch);
              batch.clear();
              batchBytes = 0;
            }
          }
          store.putAll(batch);
        }
      }
      if (pinRoots) {
        pin(r, roots);
      }
    }
    if (stats) {
      spec.commandLine().getOut().println("Imported " + blocks + " blocks (" + bytes + " bytes)");
    }
    return failed ? 1 : 0;
  }

  private boolean failed;

  /** Kubo's lines: {@code Pinned root<TAB><cid><TAB>success}, or {@code FAILED: <why>}. */
  private void pin(Repo r, Set<Cid> roots) {
    for (Cid root : roots) {
      String outcome;
      try {
        r.pins().add(root, true, "");
        outcome = "success";
      } catch (RuntimeException e) {
        outcome = "FAILED: " + Errors.describe(e);
        failed = true;
      }
      spec.commandLine().getOut().println("Pinned root\t" + root + "\t" + outcome);
    }
  }
}
