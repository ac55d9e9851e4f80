package dev.tally.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Collects the networking benchmark's figures and prints them with the goal ratios. */
final class NetReport {
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

  private final NetBenchArgs args;
  private final double loadBefore;
  private final Map<String, NetBench.Measure> ceilings = new LinkedHashMap<>();
  private final Map<String, NetBench.Measure> figures = new LinkedHashMap<>();
  private String node = "not run (--no-node)";
  private double[] handshakeMillis = new double[0];

  NetReport(NetBenchArgs args, double loadBefore) {
    this.args = args;
    this.loadBefore = loadBefore;
  }

  void ceiling(String what, NetBench.Measure m) {
    ceilings.put(what, m);
  }

  void figure(String pair, int streams, NetBench.Measure m) {
    figures.put(key(pair, streams), m);
  }

  void node(String version, Path itDir) {
    node = "Node " + version + ", js-libp2p " + npmVersion(itDir, "libp2p");
  }

  void handshakes(double[] sortedMillis) {
    handshakeMillis = sortedMillis;
  }

  private static String key(String pair, int streams) {
    return pair + ", " + streams + (streams == 1 ? " stream" : " streams");
  }

  private double mbs(double seconds) {
    return args.bytes() / seconds / 1e6;
  }

  void print(PrintStream out, double loadAfter) {
    Runtime.Version v = Runtime.version();
    out.printf(
        "Tally networking benchmark: %d MiB per figure over 127.0.0.1, best of %d runs after %d"
            + " warm-up runs, MB = 10^6 bytes%n",
        args.sizeMib(), args.runs(), args.warmups());
    out.printf(
        "Java %s, %s (%s), %d CPUs; %s; load average %.2f before, %.2f after%n%n",
        v,
        System.getProperty("java.vm.name"),
        System.getProperty("java.vm.vendor"),
        Runtime.getRuntime().availableProcessors(),
        node,
        loadBefore,
        loadAfter);
    out.printf("%-52s %9s %8s %8s %9s%n", "figure", "MB/s", "wall s", "CPU s", "CPU ns/B");
    figures.forEach((k, m) -> row(out, k, m));
    out.printf("%-52s %9s %8s %8s %9s%n", "ceiling", "MB/s", "wall s", "CPU s", "CPU ns/B");
    ceilings.forEach((k, m) -> row(out, k, m));
    out.println(
        "CPU s: this JVM's CPU time in the best run, both Tally peers (or both plain TCP ends)"
            + " together, steadier than wall time on a busy machine; - for Node peers");
    if (handshakeMillis.length > 0) {
      out.printf(
          "%nhandshake Tally -> Tally (TCP + multistream + Noise XX + Yamux + first stream),"
              + " %d dials: p50 %.2f ms, p99 %.2f ms%n",
          handshakeMillis.length, percentile(0.50), percentile(0.99));
    }
    out.printf("%n%-52s %7s  %s%n", "ratio", "value", "goal");
    ratio(out, "Tally->Tally / JS->JS, 1 stream", "Tally -> Tally", "JS -> JS", 1, 2.0);
    ratio(out, "Tally->Tally / JS->JS, 16 streams", "Tally -> Tally", "JS -> JS", 16, 2.0);
    String plain = "plain Vert.x TCP, 1 connection, no security";
    if (ceilings.containsKey(plain)) {
      for (int streams : new int[] {1, NetBench.PARALLEL_STREAMS}) {
        NetBench.Measure t = figures.get(key("Tally -> Tally", streams));
        if (t != null) {
          line(
              out,
              "Tally->Tally / plain Vert.x TCP, "
                  + streams
                  + (streams == 1 ? " stream" : " streams"),
              ceilings.get(plain).seconds() / t.seconds(),
              0.40);
        }
      }
    }
  }

  private void row(PrintStream out, String label, NetBench.Measure m) {
    boolean node = Double.isNaN(m.cpuSeconds());
    String cpu = node ? "-" : String.format("%.3f", m.cpuSeconds());
    String perByte = node ? "-" : String.format("%.2f", m.cpuSeconds() * 1e9 / args.bytes());
    out.printf("%-52s %9.1f %8.3f %8s %9s%n", label, mbs(m.seconds()), m.seconds(), cpu, perByte);
  }

  private void ratio(PrintStream out, String label, String a, String b, int streams, double goal) {
    NetBench.Measure ta = figures.get(key(a, streams));
    NetBench.Measure tb = figures.get(key(b, streams));
    if (ta != null && tb != null) {
      line(out, label, tb.seconds() / ta.seconds(), goal);
    }
  }

  private static void line(PrintStream out, String label, double value, double goal) {
    out.printf("%-52s %7.2f  >= %.2f %s%n", label, value, goal, value >= goal ? "met" : "MISSED");
  }

  private double percentile(double p) {
    int i = (int) Math.ceil(p * handshakeMillis.length) - 1;
    return handshakeMillis[Math.max(0, Math.min(handshakeMillis.length - 1, i))];
  }

  private static String npmVersion(Path itDir, String pkg) {
    try {
      Matcher m =
          VERSION.matcher(Files.readString(itDir.resolve("node_modules/" + pkg + "/package.json")));
      return m.find() ? m.group(1) : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }
}
