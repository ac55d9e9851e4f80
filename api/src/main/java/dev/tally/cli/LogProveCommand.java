package dev.tally.cli;

import dev.tally.log.Log;
import dev.tally.log.proof.LogProof;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tally log prove LOG ENTRY > proof.car}: the inclusion proof as a CAR on stdout. */
@Command(
    name = "prove",
    description = "Write a CAR proving ENTRY is in LOG: the shortest chain from a head.")
final class LogProveCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "LOG", description = "The log id.")
  String log;

  @Parameters(index = "1", paramLabel = "ENTRY", description = "The entry's CID.")
  String entry;

  @Override
  public Integer call() throws IOException {
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      LogProof.prove(l, Cid.parse(entry), new NonClosing(Io.current().out));
      Io.current().out.flush();
    }
    return 0;
  }
}
