package dev.tally.cli;

import dev.tally.log.CheckpointBundle;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally log checkpoint-bundle LOG [--checkpoint CID] > cp.car}: the CAR a new replica starts
 * from ({@code tally log join LOG --checkpoint cp.car}).
 */
@Command(
    name = "checkpoint-bundle",
    description =
        "Write the bundle (checkpoint, endorsements, order index) of the latest final checkpoint,"
            + " or --checkpoint CID, as a CAR on stdout.")
final class LogCheckpointBundleCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Option(names = "--checkpoint", paramLabel = "CID", description = "A final checkpoint.")
  String checkpoint;

  @Override
  public Integer call() throws IOException {
    var out = new NonClosing(Io.current().out);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(Map.entry("arg", log));
      if (checkpoint != null) {
        params.add(Map.entry("checkpoint", checkpoint));
      }
      try (InputStream car = daemon.get().post("log/checkpoint-bundle", params)) {
        car.transferTo(out);
      }
      out.flush();
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      Cid cp =
          checkpoint != null
              ? Cid.parse(checkpoint)
              : l.checkpoints()
                  .latestFinal()
                  .orElseThrow(
                      () -> new IllegalArgumentException("log " + log + " has no final checkpoint"))
                  .cid();
      CheckpointBundle.write(l, cp, out);
      out.flush();
    }
    return 0;
  }
}
