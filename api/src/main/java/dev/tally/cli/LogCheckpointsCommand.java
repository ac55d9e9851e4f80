package dev.tally.cli;

import dev.tally.log.Checkpoint;
import dev.tally.log.Log;
import dev.tally.storage.repo.Repo;
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

/**
 * {@code tally log checkpoints LOG}: one line per checkpoint, oldest first: {@code checkpoint CID
 * STATUS signers S/Q count N [state CID]}, then {@code final CID} for the latest final one.
 */
@Command(name = "checkpoints", description = "List the log's checkpoints and their signatures.")
final class LogCheckpointsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      JsonObject r = daemon.get().json("log/checkpoints", List.of(Map.entry("arg", log)));
      r.getJsonArray("Checkpoints").forEach(c -> out.println(line((JsonObject) c)));
      if (r.containsKey("Final")) {
        out.println("final " + r.getString("Final"));
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      l.checkpoints().all().forEach(c -> out.println(line(c)));
      l.checkpoints().latestFinal().ifPresent(f -> out.println("final " + f.cid()));
    }
    return 0;
  }

  static String line(Checkpoint c) {
    return line(
        c.cid().toString(),
        c.status().name().toLowerCase(),
        c.signers().size(),
        c.quorum(),
        c.count(),
        c.stateRoot().map(Object::toString).orElse(null));
  }

  static String line(JsonObject c) {
    return line(
        c.getString("Cid"),
        c.getString("Status"),
        c.getJsonArray("Signers").size(),
        c.getInteger("Quorum"),
        c.getLong("Count"),
        c.getString("State"));
  }

  private static String line(
      String cid, String status, int signers, int quorum, long count, String state) {
    return "checkpoint "
        + cid
        + " "
        + status
        + " signers "
        + signers
        + "/"
        + quorum
        + " count "
        + count
        + (state == null ? "" : " state " + state);
  }
}
