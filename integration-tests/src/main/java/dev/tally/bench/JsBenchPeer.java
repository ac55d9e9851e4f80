package dev.tally.bench;

import dev.tally.multiformats.Multiaddr;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the js-libp2p half of the benchmark, {@code bench/net-bench.mjs}, on Node 22. */
final class JsBenchPeer {
  private final Path node;
  private final Path script;

  JsBenchPeer(NetBenchArgs args) {
    this.node = args.nodeBinary();
    this.script = args.nodeScript();
    if (!Files.isExecutable(node)) {
      throw new IllegalStateException(
          "Node 22 is missing at " + node + ": run `npm ci` in integration-tests, or --no-node");
    }
  }

  /** A js-libp2p node serving the sink; stopped by {@link Listener#close()}. */
  final class Listener implements AutoCloseable {
    private final Process process;
    private final Multiaddr address;

    private Listener(Process process, Multiaddr address) {
      this.process = process;
      this.address = address;
    }

    Multiaddr address() {
      return address;
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  Listener listen(String seedHex) throws IOException {
    Process p = start(List.of("listen", seedHex));
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the js-libp2p listener exited before listening");
    }
    JsonObject ready = new JsonObject(line);
    return new Listener(p, Multiaddr.parse(ready.getJsonArray("addrs").getString(0)));
  }

  /**
   * Runs a js-libp2p sender against {@code target}: {@code warmups} and {@code runs} timed runs of
   * {@code streams} parallel streams of {@code bytesPerStream} each; returns each timed run's
   * seconds.
   */
  List<Double> send(Multiaddr target, long bytesPerStream, int streams, int warmups, int runs)
      throws IOException, InterruptedException {
    Process p =
        start(
            List.of(
                "send",
                target.toString(),
                Long.toString(bytesPerStream),
                Integer.toString(streams),
                Integer.toString(runs),
                Integer.toString(warmups)));
    p.getOutputStream().close();
    List<Double> seconds = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        JsonObject r = new JsonObject(line);
        if (r.getLong("bytes") != bytesPerStream * streams) {
          throw new IllegalStateException("the js-libp2p sender reported " + line);
        }
        if (r.getInteger("run") >= warmups) {
          seconds.add(r.getDouble("millis") / 1e3);
        }
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || seconds.size() != runs) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "the js-libp2p sender failed (exit " + p.exitValue() + ", see its stderr above)");
    }
    return seconds;
  }

  /** Node's version, e.g. {@code v22.23.3}. */
  String nodeVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(node.toString(), "--version").start();
    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return v;
  }

  private Process start(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(node.toString());
    cmd.add(script.toString());
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
