package dev.tally.cli;

import dev.tally.log.Log;
import dev.tally.storage.logindex.H2LogIndex;
import dev.tally.storage.repo.Repo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log reindex LOG}: rebuilds the log's SQL index rows from its DAG (offline). */
@Command(
    name = "reindex",
    description =
        "Rebuild the SQL index of the log's entries from the entries themselves; prints the count."
            + " Run with the daemon stopped.")
final class LogReindexCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try (Repo r = repo.open();
        H2LogIndex index = H2LogIndex.open(Logs.indexFile(r))) {
      Log l = Logs.open(r, log);
      spec.commandLine().getOut().println("indexed " + index.reindex(l));
    }
    return 0;
  }
}
