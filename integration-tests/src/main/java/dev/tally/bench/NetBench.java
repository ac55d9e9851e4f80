package dev.tally.bench;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * End-to-end networking benchmark (issue 5): stream throughput on 127.0.0.1 Tally→Tally, JS→JS
 * (js-libp2p 3 on Node 22), Tally→JS and JS→Tally, each for one stream and for 16 parallel streams
 * over one connection; in the same run the ceilings (plain Vert.x loopback TCP, the JVM's
 * ChaCha20-Poly1305 on one thread) and Tally's handshake latency (dial to first negotiated stream)
 * over N dials. Prints the ratios issue 5 sets goals for.
 *
 * <p>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.NetBench [--size-mib
 * 256] [--runs 3] [--warmups 5] [--dials 1000] [--it-dir integration-tests] [--no-node]
 * [--stall-seconds 30]}
 */
public final class NetBench {
  static final int PARALLEL_STREAMS = 16;

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private NetBench() {}

  public static void main(String[] args) throws Exception {
    NetBenchArgs a = NetBenchArgs.parse(args);
    NetReport report = new NetReport(a, loadAverage());
    Buffer chunk = Buffer.buffer(randomBytes(BenchSink.CHUNK));
    Vertx sender = Vertx.vertx();
    Vertx receiver = Vertx.vertx();
    BasicHost tallyOut = host(sender, 1);
    BasicHost tallyIn = host(receiver, 2);
    try {
      tallyIn.setHandler(BenchSink.PROTOCOL, BenchSink::serve);
      Multiaddr inAddr =
          tallyIn
              .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
              .await(10, TimeUnit.SECONDS)
              .encapsulate("/p2p/" + tallyIn.peerId());

      System.err.println("ceilings: ChaCha20-Poly1305, plain Vert.x TCP");
      report.ceiling(
          "ChaCha20-Poly1305 seal, one thread, JDK",
          best(a, () -> NetCeilings.chachaSeconds(a.bytes())));
      Measure plain =
          best(
              a,
              () ->
                  NetCeilings.plainTcpSeconds(
                      sender, receiver, a.bytes(), chunk, Duration.ofSeconds(a.stallSeconds())));
      report.ceiling("plain Vert.x TCP, 1 connection, no security", plain);

      for (int streams : List.of(1, PARALLEL_STREAMS)) {
        System.err.println("Tally -> Tally, " + streams + " stream(s)");
        Connection c = tallyOut.dial(inAddr).await(10, TimeUnit.SECONDS);
        report.figure("Tally -> Tally", streams, best(a, () -> tallySend(c, a, streams, chunk)));
      }
      if (a.node()) {
        JsBenchPeer js = new JsBenchPeer(a);
        report.node(js.nodeVersion(), a.itDir());
        try (JsBenchPeer.Listener jsIn = js.listen("00".repeat(31) + "07")) {
          for (int streams : List.of(1, PARALLEL_STREAMS)) {
            System.err.println("JS -> JS, " + streams + " stream(s)");
            report.figure(
                "JS -> JS",
                streams,
                min(js.send(jsIn.address(), a.bytes() / streams, streams, a.warmups(), a.runs())));
            System.err.println("Tally -> JS, " + streams + " stream(s)");
            Connection c = tallyOut.dial(jsIn.address()).await(10, TimeUnit.SECONDS);
            report.figure("Tally -> JS", streams, best(a, () -> tallySend(c, a, streams, chunk)));
            System.err.println("JS -> Tally, " + streams + " stream(s)");
            report.figure(
                "JS -> Tally",
                streams,
                min(js.send(inAddr, a.bytes() / streams, streams, a.warmups(), a.runs())));
          }
        }
      }
      System.err.println("handshakes: " + a.dials() + " dials");
      for (Connection c : tallyOut.connections()) {
        c.close().await(10, TimeUnit.SECONDS);
      }
      report.handshakes(handshakes(tallyOut, inAddr, a.dials()));
    } finally {
      tallyOut.close().await(10, TimeUnit.SECONDS);
      tallyIn.close().await(10, TimeUnit.SECONDS);
      sender.close().await(10, TimeUnit.SECONDS);
      receiver.close().await(10, TimeUnit.SECONDS);
    }
    report.print(System.out, loadAverage());
    System.exit(0);
  }

  private static BasicHost host(Vertx vertx, int seedByte) {
    byte[] seed = new byte[32];
    seed[31] = (byte) seedByte;
    return BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
  }

  private static double tallySend(Connection c, NetBenchArgs a, int streams, Buffer chunk)
      throws Exception {
    LongAdder written = new LongAdder();
    long start = System.nanoTime();
    long got =
        NetCeilings.awaitProgress(
            BenchSink.send(c, a.bytes() / streams, streams, chunk, written),
            written::sum,
            Duration.ofSeconds(a.stallSeconds()),
            () ->
                "Tally -> "
                    + c.remotePeer()
                    + ", "
                    + streams
                    + " stream(s): wrote "
                    + written.sum()
                    + " of "
                    + a.bytes()
                    + " bytes, no answer from the sink");
    double seconds = (System.nanoTime() - start) / 1e9;
    if (got != a.bytes()) {
      throw new IllegalStateException("sinks received " + got + " bytes of " + a.bytes());
    }
    return seconds;
  }

  /** Dials {@code target} {@code n} times, each to its first negotiated stream; milliseconds. */
  private static double[] handshakes(BasicHost host, Multiaddr target, int n) throws Exception {
    double[] millis = new double[n];
    for (int i = -n / 10; i < n; i++) {
      long start = System.nanoTime();
      Connection c = host.dial(target).await(10, TimeUnit.SECONDS);
      c.newStream(List.of(BenchSink.PROTOCOL)).await(10, TimeUnit.SECONDS);
      double ms = (System.nanoTime() - start) / 1e6;
      if (i >= 0) {
        millis[i] = ms;
      }
      c.close().await(10, TimeUnit.SECONDS);
    }
    Arrays.sort(millis);
    return millis;
  }

  interface Run {
    double seconds() throws Exception;
  }

  /** A run's wall seconds and this process's CPU seconds (all threads; NaN for Node). */
  record Measure(double seconds, double cpuSeconds) {}

  /** {@code warmups} unmeasured runs, then the fastest of {@code runs}. */
  private static Measure best(NetBenchArgs a, Run run) throws Exception {
    for (int i = 0; i < a.warmups(); i++) {
      System.gc();
      run.seconds();
    }
    Measure best = null;
    for (int i = 0; i < a.runs(); i++) {
      System.gc();
      long cpu = OS.getProcessCpuTime();
      double seconds = run.seconds();
      Measure m = new Measure(seconds, (OS.getProcessCpuTime() - cpu) / 1e9);
      if (best == null || m.seconds() < best.seconds()) {
        best = m;
      }
    }
    return best;
  }

  private static Measure min(List<Double> values) {
    return new Measure(
        values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), Double.NaN);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(2026).nextBytes(b);
    return b;
  }
}
