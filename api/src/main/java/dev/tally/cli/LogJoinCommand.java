package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log join LOG [--peer ADDR]}: the running daemon starts replicating the log. */
@Command(
    name = "join",
    description =
        "Replicate a log this node learns of (needs the daemon): fetch its manifest and entries"
            + " from peers, verify them, and keep in step.")
final class LogJoinCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Option(
      names = "--peer",
      paramLabel = "MULTIADDR",
      description = "Dial this peer first (/ip4/.../tcp/.../p2p/12D3KooW...).")
  String peer;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "Start from the final checkpoint in this bundle (from 'tally log checkpoint-bundle'):"
              + " checked against the manifest's quorum, answered at once, history fetched after.")
  java.nio.file.Path checkpoint;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(Map.entry("arg", log));
    if (peer != null) {
      params.add(Map.entry("peer", peer));
    }
    ApiClient daemon = ApiClient.require(repo.path());
    JsonObject r;
    if (checkpoint == null) {
      r = daemon.json("log/join", params);
    } else {
      try (var in = java.nio.file.Files.newInputStream(checkpoint);
          var body = daemon.upload("log/join", params, "checkpoint.car", in)) {
        r =
            new JsonObject(
                new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    spec.commandLine().getOut().println(r.getString("Log"));
    JsonObject c = r.getJsonObject("Checkpoint");
    if (c != null) {
      spec.commandLine().getOut().println("from " + LogCheckpointsCommand.line(c));
    }
    return 0;
  }
}
