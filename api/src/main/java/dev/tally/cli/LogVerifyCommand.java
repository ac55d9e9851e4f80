package dev.tally.cli;

import dev.tally.log.Log;
import dev.tally.log.LogVerificationException;
import dev.tally.log.VerifyReport;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally log verify LOG}: re-checks every entry from the saved heads and prints {@code count
 * N} and one {@code head CID} line per head; faults go to stderr and the exit code is 1.
 */
@Command(
    name = "verify",
    description = "Check every entry (hash, canonical form, writer, signature, links, clocks).")
final class LogVerifyCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      var r = daemon.get().json("log/verify", java.util.List.of(java.util.Map.entry("arg", log)));
      out.println("count " + r.getLong("Count"));
      r.getJsonArray("Heads").forEach(h -> out.println("head " + h));
      JsonObject fin = r.getJsonObject("Final");
      if (fin != null) {
        out.println("final " + LogCheckpointsCommand.line(fin));
      }
      out.flush();
      r.getJsonArray("Faults").forEach(f -> err.println("fault " + f));
      if (!r.getBoolean("Ok")) {
        err.println("Error: log " + log + " has faults");
        err.flush();
        return 1;
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      Cid id = Logs.parseId(log);
      List<Cid> saved = Logs.savedHeads(r, id);
      VerifyReport report = Log.verify(Logs.manifest(r, id), r.blocks(), saved);
      out.println("count " + report.count());
      for (Cid head : report.heads()) {
        out.println("head " + head);
      }
      out.flush();
      for (LogVerificationException e : report.rejected()) {
        err.println("rejected " + e.getMessage());
      }
      for (Cid missing : report.missing()) {
        err.println("missing " + missing);
      }
      List<String> checkpointFaults = List.of();
      if (report.ok()) {
        Log opened = Log.open(Logs.manifest(r, id), r.blocks(), saved);
        opened
            .checkpoints()
            .latestFinal()
            .ifPresent(f -> out.println("final " + LogCheckpointsCommand.line(f)));
        checkpointFaults = opened.checkpoints().verify();
        checkpointFaults.forEach(f -> err.println("fault " + f));
      }
      boolean headsMatch = report.heads().equals(saved.stream().sorted().toList());
      if (!headsMatch && report.ok()) {
        err.println("saved heads " + saved + " differ from the verified heads");
      }
      if (!report.ok() || !headsMatch || !checkpointFaults.isEmpty()) {
        err.println(
            "Error: log "
                + id
                + " has faults: "
                + report.rejected().size()
                + " rejected, "
                + report.missing().size()
                + " missing "
                + report.rejectsByKind()
                + (checkpointFaults.isEmpty() ? "" : ", checkpoint faults above"));
        err.flush();
        return 1;
      }
    }
    return 0;
  }
}
