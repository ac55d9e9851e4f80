package dev.tally.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Command-line options of {@link ImportBench}. */
record BenchArgs(int sizeMib, int runs, long seed, Path itDir, Optional<Path> work, boolean node) {

  static final String USAGE =
      "usage: ImportBench [--size-mib N (256)] [--runs N (3)] [--seed N (2026)]"
          + " [--it-dir integration-tests] [--work DIR] [--no-node]";

  Path nodeBinary() {
    return itDir.resolve("node_modules/.bin/node");
  }

  Path nodeScript() {
    return itDir.resolve("bench/import-bench.mjs");
  }

  static BenchArgs parse(String[] args) {
    int sizeMib = 256;
    int runs = 3;
    long seed = 2026;
    Path itDir =
        Files.isDirectory(Path.of("integration-tests", "bench"))
            ? Path.of("integration-tests")
            : Path.of(".");
    Optional<Path> work = Optional.empty();
    boolean node = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--size-mib" -> sizeMib = positive(a, value(args, ++i, a));
        case "--runs" -> runs = positive(a, value(args, ++i, a));
        case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
        case "--it-dir" -> itDir = Path.of(value(args, ++i, a));
        case "--work" -> work = Optional.of(Path.of(value(args, ++i, a)));
        case "--no-node" -> node = false;
        default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
      }
    }
    return new BenchArgs(sizeMib, runs, seed, itDir.toAbsolutePath(), work, node);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int positive(String option, String text) {
    int v = Integer.parseInt(text);
    if (v <= 0 || v > 8192) {
      throw new IllegalArgumentException(option + " must be in 1..8192, got " + text);
    }
    return v;
  }
}
