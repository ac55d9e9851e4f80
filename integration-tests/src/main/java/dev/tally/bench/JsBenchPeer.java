package dev.tally.bench;

import dev.tally.bench.NetCeilings.StalledException;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the js-libp2p half of the benchmark, {@code bench/net-bench.mjs}, on Node 22.
 *
 * <p>Every wait on the Node process is bounded by the stall time (ADR 039): a sender reports the
 * bytes it has sent once a second, and a run fails with what it had done once that count and its
 * run lines stand still for that long, or once it has reported its last run but not exited. Before,
 * its output was read with no deadline: a sender that stopped moving, or did not exit after its
 * last run, held the bench until someone killed it.
 */
final class JsBenchPeer {
  private final Path node;
  private final Path script;
  private final Duration stall;

  JsBenchPeer(NetBenchArgs args) {
    this(args.nodeBinary(), args.nodeScript(), Duration.ofSeconds(args.stallSeconds()));
  }

  JsBenchPeer(Path node, Path script, Duration stall) {
    this.node = node;
    this.script = script;
    this.stall = stall;
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
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  Listener listen(String seedHex) throws IOException, InterruptedException {
    Process p = start(List.of("listen", seedHex));
    Lines out = new Lines(p);
    try {
      Optional<String> line = out.next(System.nanoTime() + stall.toNanos());
      if (line == null) {
        throw new StalledException(
            "the js-libp2p listener printed no address within " + stall.toMillis() + " ms");
      }
      if (line.isEmpty()) {
        throw new IllegalStateException(
            "the js-libp2p listener exited before listening" + exit(p) + " (see its stderr above)");
      }
      JsonObject ready = new JsonObject(line.get());
      return new Listener(p, Multiaddr.parse(ready.getJsonArray("addrs").getString(0)));
    } catch (RuntimeException | InterruptedException e) {
      end(p);
      throw e;
    }
  }

  /**
   * Runs a js-libp2p sender against {@code target}: {@code warmups} and {@code runs} timed runs of
   * {@code streams} parallel streams of {@code bytesPerStream} each; returns each timed run's
   * seconds.
   *
   * @throws StalledException when the sender's byte count and run lines stand still for the stall
   *     time, or it does not exit within that time after its last run
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
    Lines out = new Lines(p);
    String what = "js-libp2p sender to " + target + ", " + streams + " stream(s)";
    int total = warmups + runs;
    List<Double> seconds = new ArrayList<>();
    int reported = 0;
    long sent = 0;
    long deadline = System.nanoTime() + stall.toNanos();
    try {
      while (true) {
        Optional<String> line = out.next(deadline);
        if (line == null) {
          throw new StalledException(
              what
                  + ": "
                  + (reported == total
                      ? "reported all " + total + " runs but did not exit"
                      : "reported " + reported + " of " + total + " runs, sent " + sent + " bytes")
                  + "; no progress for "
                  + stall.toMillis()
                  + " ms");
        }
        if (line.isEmpty()) {
          break;
        }
        JsonObject r = new JsonObject(line.get());
        if (r.containsKey("sent")) {
          // A progress line: only a count that moved restarts the stall clock.
          long now = r.getLong("sent");
          if (now != sent) {
            deadline = System.nanoTime() + stall.toNanos();
          }
          sent = now;
          continue;
        }
        if (r.getLong("bytes") != bytesPerStream * streams) {
          throw new IllegalStateException(what + " reported " + line.get());
        }
        if (r.getInteger("run") >= warmups) {
          seconds.add(r.getDouble("millis") / 1e3);
        }
        reported++;
        deadline = System.nanoTime() + stall.toNanos();
      }
      // Its output ended: the process is exiting.
      if (!p.waitFor(stall.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StalledException(
            what + ": closed its output but did not exit within " + stall.toMillis() + " ms");
      }
      if (p.exitValue() != 0 || seconds.size() != runs) {
        throw new IllegalStateException(
            what
                + " failed"
                + exit(p)
                + " after reporting "
                + reported
                + " of "
                + total
                + " runs (see its stderr above)");
      }
      return seconds;
    } finally {
      end(p);
    }
  }

  /** Node's version, e.g. {@code v22.23.3}. */
  String nodeVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(node.toString(), "--version").start();
    try {
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(stall.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StalledException(
            node + " --version did not exit within " + stall.toMillis() + " ms");
      }
      return v;
    } finally {
      end(p);
    }
  }

  private Process start(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(node.toString());
    cmd.add(script.toString());
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** ", exit N" once the process has ended; read only after it has (else it would throw). */
  private static String exit(Process p) throws InterruptedException {
    return p.waitFor(1, TimeUnit.SECONDS) ? " (exit " + p.exitValue() + ")" : " (still running)";
  }

  /** Kills {@code p} if it still runs, and waits for it: no Node process outlives its run. */
  private static void end(Process p) throws InterruptedException {
    if (p.isAlive()) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A process's stdout, drained line by line on a thread of its own (a full pipe would block the
   * process) and handed over with a deadline.
   */
  private static final class Lines {
    private static final Optional<String> END = Optional.empty();
    private final BlockingQueue<Optional<String>> queue = new LinkedBlockingQueue<>();

    Lines(Process p) {
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    queue.add(Optional.of(line));
                  }
                } catch (IOException e) {
                  // The process was killed under us: the waiting side reports what it waited for.
                } finally {
                  queue.add(END);
                }
              },
              "node-stdout-" + p.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * The next line, {@link Optional#empty()} at the end of the output, or {@code null} if none
     * came before {@code deadline} ({@link System#nanoTime()}).
     */
    Optional<String> next(long deadline) throws InterruptedException {
      return queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }
}
