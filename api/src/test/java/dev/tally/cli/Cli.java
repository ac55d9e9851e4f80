package dev.tally.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code tally} commands in process against one repo, as a user would from a shell. */
final class Cli {
  private final Path repo;

  Cli(Path repo) {
    this.repo = repo;
  }

  Result run(String... args) {
    return runWithInput(new byte[0], args);
  }

  Result runWithInput(byte[] stdin, String... args) {
    List<String> full = new ArrayList<>(List.of(args));
    // --repo belongs to the (sub)command, so it goes last, after the positional arguments.
    if (!full.isEmpty() && !List.of("version", "cid", "help").contains(full.get(0))) {
      full.add("--repo");
      full.add(repo.toString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            full.toArray(String[]::new),
            new ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  record Result(int code, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    List<String> lines() {
      return stdout().lines().toList();
    }
  }
}
