package dev.tally.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command-line options of {@link NetBench}.
 *
 * @param warmups unmeasured runs before each figure's timed runs, on both the Tally and the Node
 *     side. One run of 256 MiB is about 4,000 Noise frames, fewer calls than the JVM's C2 compiler
 *     waits for before it compiles the per-frame code, so the first figure measured after a single
 *     warm-up ran partly interpreted (ADR 023).
 * @param stallSeconds how long a measured transfer may go without moving a byte before the bench
 *     fails with its byte counts (ADR 035; the js-libp2p sender's count, and its exit after its
 *     last run, since ADR 039); a whole 256 MiB run takes under a second.
 */
record NetBenchArgs(
    int sizeMib, int runs, int warmups, int dials, Path itDir, boolean node, int stallSeconds) {

  static final String USAGE =
      "usage: NetBench [--size-mib N (256)] [--runs N (3)] [--warmups N (5)]"
          + " [--dials N (1000)] [--it-dir integration-tests] [--no-node] [--stall-seconds N (30)]";

  Path nodeBinary() {
    return itDir.resolve("node_modules/.bin/node");
  }

  Path nodeScript() {
    return itDir.resolve("bench/net-bench.mjs");
  }

  long bytes() {
    return (long) sizeMib << 20;
  }

  static NetBenchArgs parse(String[] args) {
    int sizeMib = 256;
    int runs = 3;
    int warmups = 5;
    int dials = 1000;
    Path itDir =
        Files.isDirectory(Path.of("integration-tests", "bench"))
            ? Path.of("integration-tests")
            : Path.of(".");
    boolean node = true;
    int stallSeconds = 30;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--size-mib" -> sizeMib = positive(a, value(args, ++i, a), 8192);
        case "--runs" -> runs = positive(a, value(args, ++i, a), 100);
        case "--warmups" -> warmups = positive(a, value(args, ++i, a), 100);
        case "--dials" -> dials = positive(a, value(args, ++i, a), 100_000);
        case "--it-dir" -> itDir = Path.of(value(args, ++i, a));
        case "--no-node" -> node = false;
        case "--stall-seconds" -> stallSeconds = positive(a, value(args, ++i, a), 3600);
        default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
      }
    }
    if (sizeMib % NetBench.PARALLEL_STREAMS != 0) {
      throw new IllegalArgumentException(
          "--size-mib must be a multiple of " + NetBench.PARALLEL_STREAMS + ", got " + sizeMib);
    }
    return new NetBenchArgs(
        sizeMib, runs, warmups, dials, itDir.toAbsolutePath(), node, stallSeconds);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int positive(String option, String text, int max) {
    int v = Integer.parseInt(text);
    if (v <= 0 || v > max) {
      throw new IllegalArgumentException(option + " must be in 1.." + max + ", got " + text);
    }
    return v;
  }
}
