package dev.tally.cli;

import dev.tally.storage.pin.PinVerification;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally pin verify}: {@code <cid> broken} and an indented {@code <cid>: <error>} per bad
 * block ({@code --verbose} also prints {@code <cid> ok}; {@code --quiet} only the broken CIDs), as
 * Kubo prints them.
 */
@Command(name = "verify", description = "Verify that recursive pins are complete.")
final class PinVerifyCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Option(names = "--verbose", description = "Also write the hashes of non-broken pins.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "Write just hashes of broken pins.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Repo r = repo.open()) {
      r.pins().verify(verbose && !quiet, v -> print(out, v));
    }
    return 0;
  }

  private void print(PrintWriter out, PinVerification v) {
    if (quiet) {
      out.println(v.cid());
    } else if (v.ok()) {
      out.println(v.cid() + " ok");
    } else {
      out.println(v.cid() + " broken");
      for (PinVerification.BadBlock b : v.badBlocks()) {
        out.println("  " + b.cid() + ": " + b.error());
      }
    }
  }
}
