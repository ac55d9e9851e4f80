package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log heads LOG}: one head CID per line. */
@Command(name = "heads", description = "Print the log's heads, one CID per line.")
final class LogHeadsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      daemon
          .get()
          .json("log/heads", java.util.List.of(java.util.Map.entry("arg", log)))
          .getJsonArray("Heads")
          .forEach(h -> spec.commandLine().getOut().println(h));
      return 0;
    }
    try (Repo r = repo.open()) {
      for (Cid head : Logs.savedHeads(r, Logs.parseId(log))) {
        spec.commandLine().getOut().println(head);
      }
    }
    return 0;
  }
}
