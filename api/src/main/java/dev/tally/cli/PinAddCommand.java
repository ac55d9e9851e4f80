package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally pin add CID...}: prints {@code pinned <cid> recursively|directly}, as Kubo. */
@Command(name = "add", description = "Pin objects to local storage.")
final class PinAddCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs (or /ipfs/ paths) to pin.")
  List<String> cids;

  @Option(
      names = {"-r", "--recursive"},
      arity = "0..1",
      fallbackValue = "true",
      description = "Recursively pin the object linked to by the specified object(s).")
  boolean recursive = true;

  @Option(names = "--name", paramLabel = "NAME", description = "An optional name for the pin.")
  String name = "";

  @Option(names = "--progress", description = "Accepted for Kubo compatibility; no effect.")
  boolean progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      // The daemon fetches what peers hold before pinning, and resolves paths inside DAGs.
      var answer =
          daemon
              .get()
              .json(
                  "pin/add", Params.of().args(cids).add("recursive", recursive).add("name", name));
      for (Object cid : answer.getJsonArray("Pins")) {
        spec.commandLine()
            .getOut()
            .println("pinned " + cid + " " + (recursive ? "recursively" : "directly"));
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      for (String arg : cids) {
        Cid cid = PinCommand.parse(arg);
        r.pins().add(cid, recursive, name);
        spec.commandLine()
            .getOut()
            .println("pinned " + cid + " " + (recursive ? "recursively" : "directly"));
      }
    }
    return 0;
  }
}
