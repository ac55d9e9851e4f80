package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code tally daemon} in a child JVM on the test's classpath, as a user runs it, so that it can
 * be killed with SIGKILL ({@link #kill()}) and restarted on the same repo. Its output goes to
 * {@code <repo>.out} and {@code <repo>.err}, which failures quote.
 */
final class ChildDaemon implements AutoCloseable {
  private static final Pattern API =
      Pattern.compile("RPC API server listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)");
  private static final Pattern SWARM = Pattern.compile("Swarm listening on (\\S+)");
  private static final Pattern PEER = Pattern.compile("PeerID: (\\S+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path out;
  private final Path err;
  final String url;
  final String peerId;

  /** The swarm address with {@code /p2p/<peer id>}, for {@code swarm/connect}. */
  final String swarm;

  private ChildDaemon(
      Process process, Path out, Path err, String url, String peerId, String swarm) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.url = url;
    this.peerId = peerId;
    this.swarm = swarm;
  }

  /** The JVM command running {@code dev.tally.cli.Main args} on this test's classpath. */
  static List<String> command(String heap, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.tally.cli.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts {@code tally daemon --repo repo} and waits until it says it is ready. */
  static ChildDaemon start(Path repo) throws IOException, InterruptedException {
    Path out = Path.of(repo + ".out");
    Path err = Path.of(repo + ".err");
    Files.deleteIfExists(out);
    Process p =
        new ProcessBuilder(command("512m", "daemon", "--repo", repo.toString()))
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
            .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      if (text.contains("Daemon is ready")) {
        return new ChildDaemon(
            p,
            out,
            err,
            "http://127.0.0.1:" + group(API, text),
            group(PEER, text),
            group(SWARM, text) + "/p2p/" + group(PEER, text));
      }
      if (!p.isAlive() || System.nanoTime() > end) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            "the daemon on " + repo + " did not start:\n" + text + "\n" + errors(err));
      }
      Thread.sleep(50);
    }
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + p + " in the daemon's output:\n" + text);
    }
    return m.group(1);
  }

  private static String errors(Path err) throws IOException {
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  /** What the daemon wrote to stderr (its log). */
  String log() throws IOException {
    return errors(err);
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " survived SIGKILL");
    }
    assertEquals(137, process.exitValue(), "exit status of a SIGKILLed JVM");
  }

  /** SIGTERM: the daemon's shutdown hook stops it cleanly. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the daemon did not stop within 60 s of SIGTERM");
    }
  }

  /** POSTs {@code /api/v0/<command>} and returns the body; fails unless the answer is 200. */
  String call(String command, List<Map.Entry<String, String>> params)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      q.append(q.length() == 0 ? '?' : '&')
          .append(p.getKey())
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + "/api/v0/" + command + q))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), command + ": " + r.body());
    return r.body();
  }

  JsonObject json(String command, String arg) throws IOException, InterruptedException {
    return new JsonObject(call(command, List.of(Map.entry("arg", arg))));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
