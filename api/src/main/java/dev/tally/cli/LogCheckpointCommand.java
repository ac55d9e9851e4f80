package dev.tally.cli;

import dev.tally.log.Checkpoint;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally log checkpoint LOG [--endorse CID | --state CID]}: proposes a checkpoint of the
 * node's replica, or endorses one after recomputing it; prints {@code checkpoint CID STATUS signers
 * S/Q count N}.
 */
@Command(
    name = "checkpoint",
    description =
        "Propose a checkpoint of the log at its heads, or --endorse one (it is final once a"
            + " quorum of the manifest's writers signed it).")
final class LogCheckpointCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Option(names = "--endorse", paramLabel = "CID", description = "Sign this checkpoint.")
  String endorse;

  @Option(
      names = "--state",
      paramLabel = "CID",
      description = "An application state root the checkpoint carries (when proposing).")
  String state;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (endorse != null && state != null) {
      throw new IllegalArgumentException("--state is for proposing; endorsers recompute it");
    }
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(Map.entry("arg", log));
      if (endorse != null) {
        params.add(Map.entry("endorse", endorse));
      }
      if (state != null) {
        params.add(Map.entry("state", state));
      }
      JsonObject c = daemon.get().json("log/checkpoint", params);
      out.println(LogCheckpointsCommand.line(c));
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      Entry e =
          endorse != null
              ? l.checkpoints().endorse(Cid.parse(endorse), Logs.nodeKey(r))
              : state != null
                  ? l.checkpoints()
                      .propose(Logs.nodeKey(r), l.heads(), Optional.of(Cid.parse(state)))
                  : l.checkpoints().propose(Logs.nodeKey(r));
      Logs.headsFiles(r).save(l.id(), l.heads());
      Checkpoint c =
          l.checkpoints().get(endorse != null ? Cid.parse(endorse) : e.cid()).orElseThrow();
      out.println(LogCheckpointsCommand.line(c));
    }
    return 0;
  }
}
