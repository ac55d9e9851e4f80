package dev.tally.it.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.cli.Main;
import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One party's daemon in a multi-node lending test, driven as its operator would drive it: {@code
 * tally lending ...} commands against its repo (they go through the running daemon) and HTTP reads
 * of its RPC API and plugin routes.
 */
final class LendingNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final String name;
  final Path dir;
  final Daemon daemon;

  private LendingNode(String name, Path dir, Daemon daemon) {
    this.name = name;
    this.dir = dir;
    this.daemon = daemon;
  }

  static LendingNode start(Path parent, String name) {
    Path dir = parent.resolve(name);
    Repo repo = Repo.init(dir, RepoConfig.testProfile());
    return new LendingNode(name, dir, Daemon.start(repo, "it", HttpLimits.defaults()));
  }

  String peerId() {
    return daemon.repo().peerId().toString();
  }

  String swarmAddress() {
    return daemon.swarmAddresses().get(0) + "/p2p/" + peerId();
  }

  private String base() {
    String[] parts = daemon.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  /** POSTs an RPC command; {@code args} are name/value pairs. */
  JsonObject rpc(String command, String... args) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < args.length; i += 2) {
      q.append(q.length() == 0 ? '?' : '&')
          .append(args[i])
          .append('=')
          .append(URLEncoder.encode(args[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v0/" + command + q))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, r.statusCode(), name + " " + command + ": " + r.body());
    return new JsonObject(r.body());
  }

  /** GETs a plugin route, e.g. {@code loan-book/loans}; the raw JSON text. */
  String plugin(String route) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/plugins/" + route)));
    assertEquals(200, r.statusCode(), name + " /plugins/" + route + ": " + r.body());
    return r.body();
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The outcome of one {@code tally} command run against this node's repo. */
  record Run(int code, String out, String err) {
    String line() {
      assertEquals(0, code, err);
      return out.strip();
    }
  }

  /** Runs {@code tally lending <args> --repo <this repo>}. */
  Run lending(String... args) {
    List<String> argv = new ArrayList<>(List.of("lending"));
    argv.addAll(List.of(args));
    argv.add("--repo");
    argv.add(dir.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            argv.toArray(String[]::new),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    daemon.stop();
  }

  @Override
  public String toString() {
    return name;
  }
}
