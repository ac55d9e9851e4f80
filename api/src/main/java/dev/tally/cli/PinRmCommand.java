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

/** {@code tally pin rm CID...}: prints {@code unpinned <cid>}, as Kubo. */
@Command(name = "rm", description = "Remove object pins.")
final class PinRmCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs (or /ipfs/ paths) to unpin.")
  List<String> cids;

  @Option(
      names = {"-r", "--recursive"},
      arity = "0..1",
      fallbackValue = "true",
      description = "Recursively unpin the object linked to by the specified object(s).")
  boolean recursive = true;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      var answer = daemon.get().json("pin/rm", Params.of().args(cids).add("recursive", recursive));
      for (Object cid : answer.getJsonArray("Pins")) {
        spec.commandLine().getOut().println("unpinned " + cid);
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      for (String arg : cids) {
        Cid cid = PinCommand.parse(arg);
        r.pins().rm(cid, recursive);
        spec.commandLine().getOut().println("unpinned " + cid);
      }
    }
    return 0;
  }
}
