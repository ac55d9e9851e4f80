package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonCommandTest {
  @TempDir Path temp;

  @Test
  void daemonInitialisesTheRepoPrintsKubosLinesAndStopsOnShutdown() throws Exception {
    Path repo = temp.resolve("repo");
    assertEquals(0, new Cli(repo).run("init").code());
    Path config = repo.resolve("config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("tcp/5001", "tcp/0")
            .replace("tcp/8080", "tcp/0")
            .replace("tcp/4001", "tcp/0"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"daemon", "--repo", repo.toString()},
                    new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString(StandardCharsets.UTF_8).contains("Daemon is ready")) {
      assertTrue(System.nanoTime() < deadline, "daemon did not start: " + err);
      assertTrue(!exit.isDone(), "daemon exited: " + out + err);
      Thread.sleep(50);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("PeerID: 12D3KooW"), printed);
    Matcher api =
        Pattern.compile("RPC API server listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)")
            .matcher(printed);
    assertTrue(api.find(), printed);
    assertTrue(
        Pattern.compile("Gateway server listening on /ip4/127\\.0\\.0\\.1/tcp/\\d+")
            .matcher(printed)
            .find(),
        printed);
    HttpResponse<String> shutdown =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.group(1) + "/api/v0/shutdown"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, shutdown.statusCode());
    assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    // The repo is released: the offline CLI can use it again.
    assertEquals(
        0, new Cli(repo).runWithInput("x".getBytes(StandardCharsets.UTF_8), "add", "-Q").code());
  }
}
