package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log status LOG}: heads, entry count and replication progress. */
@Command(
    name = "status",
    description = "Print the log's heads, entry count and sync progress (from the daemon).")
final class LogStatusCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isEmpty()) {
      // Offline: what the repo holds, with no replication under way.
      try (var r = repo.open()) {
        var l = Logs.open(r, log);
        out.println("name " + l.manifest().name());
        out.println("count " + l.size());
        l.heads().forEach(h -> out.println("head " + h));
        out.println("sync offline");
      }
      return 0;
    }
    JsonObject s = daemon.get().json("log/status", List.of(Map.entry("arg", log)));
    out.println("name " + s.getString("Name"));
    out.println("count " + s.getLong("Count"));
    s.getJsonArray("Heads").forEach(h -> out.println("head " + h));
    out.println(
        "sync "
            + (s.getBoolean("Syncing") ? "fetching" : "idle")
            + " peers "
            + s.getInteger("Peers")
            + " fetched "
            + s.getLong("Fetched")
            + " verified "
            + s.getLong("Verified")
            + " rejected "
            + s.getLong("Rejected")
            + " remaining "
            + s.getLong("Remaining"));
    JsonObject from = s.getJsonObject("Checkpoint");
    if (from != null) {
      // Answered from the checkpoint this replica started from, before its history arrived.
      out.println("from " + LogCheckpointsCommand.line(from));
    }
    if (s.containsKey("Final")) {
      out.println("final " + s.getString("Final"));
    }
    return 0;
  }
}
