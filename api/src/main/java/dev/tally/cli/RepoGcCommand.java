package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally repo gc}: prints {@code removed <cid>} per collected block as Kubo does, then a
 * {@code freed N blocks (M bytes)} summary on stderr. Errors abort the collection before anything
 * is removed; {@code --stream-errors} prints each as it happens instead of only the final one.
 */
@Command(name = "gc", description = "Remove blocks that no pin or root keeps.")
final class RepoGcCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Option(names = "--stream-errors", description = "Stream errors as they happen.")
  boolean streamErrors;

  @Option(
      names = {"-q", "--quiet"},
      description = "Write minimal output.")
  boolean quiet;

  @Option(names = "--silent", description = "Write no output.")
  boolean silent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GarbageCollector.Result result;
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      long[] removed = {0};
      String[] lastError = {""};
      try {
        daemon
            .get()
            .lines(
                "repo/gc",
                Params.of().add("stream-errors", streamErrors),
                line -> {
                  if (line.containsKey("Error")) {
                    lastError[0] = line.getString("Error");
                    err.println("Error: " + lastError[0]);
                    return;
                  }
                  removed[0]++;
                  String cid = line.getJsonObject("Key").getString("/");
                  if (!silent) {
                    out.println(quiet ? cid : "removed " + cid);
                  }
                });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      out.flush();
      if (!quiet && !silent) {
        err.printf("freed %d blocks%n", removed[0]);
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      result =
          r.gc()
              .collect(
                  new GarbageCollector.Listener() {
                    @Override
                    public void removed(Cid cid) {
                      if (silent) {
                        return;
                      }
                      out.println(quiet ? cid.toString() : "removed " + cid);
                    }

                    @Override
                    public void error(String message) {
                      if (streamErrors) {
                        err.println("Error: " + message);
                      }
                    }
                  });
    }
    out.flush();
    if (!quiet && !silent) {
      err.printf(
          "freed %d blocks (%d bytes; %d bytes of disk) in %.2f s%n",
          result.removedBlocks(), result.removedBytes(), result.packBytesFreed(), result.seconds());
    }
    return 0;
  }
}
