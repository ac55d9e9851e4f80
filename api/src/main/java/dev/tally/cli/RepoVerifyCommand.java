package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tally repo verify}: re-hashes every block; prints {@code block <cid> was corrupt (<why>)}
 * per bad one and fails with Kubo's {@code verify complete, some blocks were corrupt}.
 */
@Command(name = "verify", description = "Verify all blocks in repo are not corrupted.")
final class RepoVerifyCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AtomicLong bad = new AtomicLong();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      String[] verdict = {""};
      try {
        daemon
            .get()
            .lines(
                "repo/verify",
                Params.of(),
                line -> {
                  String msg = line.getString("Msg", "");
                  if (msg.startsWith("verify complete")) {
                    verdict[0] = msg;
                  } else {
                    out.println(msg);
                  }
                });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (!verdict[0].equals("verify complete, all blocks validated.")) {
        throw new IllegalStateException(
            verdict[0].isEmpty() ? "the daemon's verify ended without a verdict" : verdict[0]);
      }
      out.println(verdict[0]);
      return 0;
    }
    try (Repo r = repo.open()) {
      r.verify(
          (cid, why) -> {
            bad.incrementAndGet();
            out.println("block " + cid + " was corrupt (" + why + ")");
          });
    }
    if (bad.get() > 0) {
      throw new IllegalStateException("verify complete, some blocks were corrupt");
    }
    out.println("verify complete, all blocks validated.");
    return 0;
  }
}
