package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally pin add CID...}: prints {@code pinned <cid> recursively|directly}, as Kubo. */
@Command(name = "add", description = "Pin objects to local storage.")
final class PinAddCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs (or /ipfs/ paths) to pin.")
  List<String> cids;

  @Option(
      names = {"-r", "--recursive"},
      arity = "0..1",
      fallbackValue = "true",
      description = "Recursively pin the object linked to by the specified object(s).")
  boolean recursive = true;

  @Option(names = "--name", paramLabel = "NAME", description = "An optional name for the pin.")
  String name = "";

  @Option(
      names = "--progress",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Show blocks and bytes fetched from peers while pinning through the daemon"
              + " (default: on a terminal; --progress=false to hide).")
  Boolean progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      // The daemon fetches what peers hold before pinning, and resolves paths inside DAGs.
      Params params = Params.of().args(cids).add("recursive", recursive).add("name", name);
      var answer =
          Progress.enabled(progress, false, Progress.terminal())
              ? withProgress(daemon.get(), params)
              : daemon.get().json("pin/add", params);
      for (Object cid : answer.getJsonArray("Pins")) {
        spec.commandLine()
            .getOut()
            .println("pinned " + cid + " " + (recursive ? "recursively" : "directly"));
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      for (String arg : cids) {
        Cid cid = PinCommand.parse(arg);
        r.pins().add(cid, recursive, name);
        spec.commandLine()
            .getOut()
            .println("pinned " + cid + " " + (recursive ? "recursively" : "directly"));
      }
    }
    return 0;
  }

  /** Pins through the daemon's streamed answer, drawing its fetch progress; its final object. */
  private io.vertx.core.json.JsonObject withProgress(ApiClient daemon, Params params)
      throws java.io.IOException {
    Progress bar = Progress.start(true, spec.commandLine().getErr(), -1);
    io.vertx.core.json.JsonObject[] last = {null};
    try {
      daemon.lines(
          "pin/add",
          params.add("progress", true),
          line -> {
            if ("error".equals(line.getString("Type"))) {
              throw new IllegalStateException(line.getString("Message", "pin add failed"));
            }
            if (line.containsKey("Pins")) {
              last[0] = line;
            } else if (line.containsKey("Progress")) {
              bar.set(line.getLong("Bytes", 0L), line.getLong("Progress") + " blocks");
            }
          });
    } finally {
      bar.finish();
    }
    if (last[0] == null) {
      throw new IllegalStateException("the daemon's pin add ended without naming the pins");
    }
    return last[0];
  }
}
