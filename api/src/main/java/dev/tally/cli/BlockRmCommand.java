package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.pin.PinStatus;
import dev.tally.storage.repo.Repo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally block rm CID...}: removes blocks, refusing pinned ones with the reason ({@code
 * pinned: recursive}, {@code pinned via <root>}); exits 1 if any could not be removed.
 */
@Command(name = "rm", description = "Remove IPFS block(s) from the local datastore.")
final class BlockRmCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs of blocks to remove.")
  List<String> cids;

  @Option(
      names = {"-f", "--force"},
      description = "Ignore nonexistent blocks.")
  boolean force;

  @Option(
      names = {"-q", "--quiet"},
      description = "Write minimal output.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    int failures = 0;
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      int[] bad = new int[1];
      try {
        daemon
            .get()
            .lines(
                "block/rm",
                Params.of().args(cids).add("force", force),
                line -> {
                  String error = line.getString("Error", "");
                  if (!error.isEmpty()) {
                    spec.commandLine()
                        .getErr()
                        .println("cannot remove " + line.getString("Hash") + ": " + error);
                    bad[0]++;
                  } else if (!quiet) {
                    spec.commandLine().getOut().println("removed " + line.getString("Hash"));
                  }
                });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      failures = bad[0];
    } else {
      failures = offline();
    }
    if (failures > 0) {
      spec.commandLine().getErr().println("Error: some blocks not removed");
      return 1;
    }
    return 0;
  }

  private int offline() {
    int failures = 0;
    try (Repo r = repo.open()) {
      List<Cid> parsed = cids.stream().map(Cid::parse).toList();
      Map<Cid, PinStatus> pins = r.pins().status(parsed);
      for (Cid cid : parsed) {
        PinStatus pin = pins.get(cid);
        if (pin.pinned()) {
          // Kubo's refusal: the reason names the pin type or the root it hangs under.
          spec.commandLine().getErr().println("cannot remove " + cid + ": " + pin);
          failures++;
        } else if (r.blocks().delete(cid)) {
          if (!quiet) {
            spec.commandLine().getOut().println("removed " + cid);
          }
        } else if (!force) {
          spec.commandLine().getErr().println("cannot remove " + cid + ": block not found");
          failures++;
        }
      }
    }
    return failures;
  }
}
