package dev.tally.cli;

import dev.tally.storage.pin.PinVerification;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.List;
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
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      daemon
          .get()
          .lines(
              "pin/verify",
              Params.of().add("verbose", verbose).add("quiet", quiet),
              line -> {
                List<PinVerification.BadBlock> bad = new java.util.ArrayList<>();
                var nodes = line.getJsonArray("BadNodes", new io.vertx.core.json.JsonArray());
                for (Object o : nodes) {
                  var b = (io.vertx.core.json.JsonObject) o;
                  bad.add(
                      new PinVerification.BadBlock(
                          dev.tally.multiformats.Cid.parse(b.getString("Cid")),
                          b.getString("Err")));
                }
                print(
                    out,
                    new PinVerification(
                        dev.tally.multiformats.Cid.parse(line.getString("Cid")),
                        line.getBoolean("Ok", false),
                        bad));
              });
      return 0;
    }
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
