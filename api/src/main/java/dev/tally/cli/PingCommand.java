package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally ping PEER}: libp2p pings through the daemon, printed as Kubo prints them. */
@Command(name = "ping", description = "Send echo request packets to IPFS hosts (needs a daemon).")
final class PingCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "PEER", description = "Peer ID or multiaddr (with /p2p/) to ping.")
  String peer;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      defaultValue = "10",
      description = "Number of ping messages to send (default 10).")
  int count;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ApiClient api = ApiClient.require(repo.path());
    PrintWriter out = spec.commandLine().getOut();
    try (InputStream body =
            api.post("ping", List.of(Map.entry("arg", peer), Map.entry("count", "" + count)));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject reply = new JsonObject(line);
        String text = reply.getString("Text", "");
        if (!reply.getBoolean("Success", false)) {
          throw new IllegalStateException(text);
        }
        out.println(
            text.isEmpty()
                ? String.format(
                    Locale.ROOT,
                    "Pong received: time=%.2f ms",
                    reply.getLong("Time", 0L) / 1_000_000.0)
                : text);
        out.flush();
      }
    }
    return 0;
  }
}
