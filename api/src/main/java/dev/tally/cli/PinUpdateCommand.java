package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally pin update FROM TO}: prints {@code updated <from> to <to>}, as Kubo. */
@Command(
    name = "update",
    description = "Update a recursive pin, walking only the parts the old pin does not hold.")
final class PinUpdateCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "FROM", description = "Path to old object.")
  String from;

  @Parameters(index = "1", paramLabel = "TO", description = "Path to a new object to be pinned.")
  String to;

  @Option(
      names = "--unpin",
      arity = "0..1",
      fallbackValue = "true",
      description = "Remove the old pin (default true).")
  boolean unpin = true;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Cid f = PinCommand.parse(from);
    Cid t = PinCommand.parse(to);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try {
        daemon
            .get()
            .json("pin/update", Params.of().add("arg", f).add("arg", t).add("unpin", unpin));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      spec.commandLine().getOut().println("updated " + f + " to " + t);
      return 0;
    }
    try (Repo r = repo.open()) {
      r.pins().update(f, t, unpin);
    }
    spec.commandLine().getOut().println("updated " + f + " to " + t);
    return 0;
  }
}
