package dev.tally.cli;

import dev.tally.log.proof.LogProof;
import dev.tally.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally log check-proof --log LOG proof.car}: checks a proof offline, from its bytes and the
 * log id alone (the repo is not opened); prints the proved entry and the head it hangs from.
 */
@Command(name = "check-proof", description = "Check an inclusion proof offline.")
final class LogCheckProofCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Option(names = "--log", required = true, paramLabel = "LOG", description = "The log id.")
  String log;

  @Parameters(paramLabel = "PROOF", description = "The proof CAR (stdin if -).")
  String proof;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try (InputStream in =
        "-".equals(proof)
            ? new NonClosingInput(Io.current().in)
            : Files.newInputStream(Path.of(proof))) {
      LogProof.Checked c = LogProof.check(in, Cid.parse(log));
      spec.commandLine()
          .getOut()
          .println(
              "ok "
                  + c.entry().cid()
                  + " is in log "
                  + c.log()
                  + " below head "
                  + c.head()
                  + " (a chain of "
                  + c.chain().size()
                  + (c.chain().size() == 1 ? " entry)" : " entries)"));
    }
    return 0;
  }
}
