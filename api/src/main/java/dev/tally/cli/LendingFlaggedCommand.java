package dev.tally.cli;

import dev.tally.lending.state.Flagged;
import dev.tally.lending.state.LendingState;
import dev.tally.lending.write.LendingWriter;
import dev.tally.storage.repo.Repo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally lending flagged LOG}: records kept in the log but not applied, and why. */
@Command(
    name = "flagged",
    description = "List records the fold kept but did not apply, with the reason.")
final class LendingFlaggedCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "LOG")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      var r =
          daemon.get().json("lending/flagged", java.util.List.of(java.util.Map.entry("arg", log)));
      for (Object o : r.getJsonArray("Flagged")) {
        var f = (io.vertx.core.json.JsonObject) o;
        spec.commandLine()
            .getOut()
            .println(
                f.getString("Entry") + " " + f.getString("Kind") + ": " + f.getString("Reason"));
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      LendingState s = LendingWriter.state(Logs.open(r, log));
      for (Flagged f : s.flagged()) {
        spec.commandLine().getOut().println(f.entry() + " " + f.kind() + ": " + f.reason());
      }
    }
    return 0;
  }
}
