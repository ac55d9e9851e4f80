package dev.tally.cli;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log ls LOG}: every entry, oldest first, as {@code CID TIME AUTHOR_PEER_ID}. */
@Command(
    name = "ls",
    description = "List entries in the log's total order (oldest first): CID, time, author.")
final class LogLsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try (var body =
              daemon.get().post("log/ls", java.util.List.of(java.util.Map.entry("arg", log)));
          var lines =
              new java.io.BufferedReader(
                  new java.io.InputStreamReader(body, java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          var e = new io.vertx.core.json.JsonObject(line);
          out.println(e.getString("Cid") + " " + e.getLong("Time") + " " + e.getString("Author"));
        }
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      for (Cid cid : l.order()) {
        Entry e = l.get(cid).orElseThrow();
        PeerId author = PeerId.fromPublicKey(Ed25519PublicKey.of(e.author()));
        out.println(cid + " " + e.time() + " " + author);
      }
    }
    return 0;
  }
}
