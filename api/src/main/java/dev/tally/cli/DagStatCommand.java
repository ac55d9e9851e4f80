package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally dag stat CID...}: per root its block count and total block bytes, then a summary
 * where blocks shared between roots count once, as Kubo prints it.
 */
@Command(name = "stat", description = "Gets stats for a DAG.")
final class DagStatCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "ROOT", arity = "1..*", description = "CIDs of the DAGs to stat.")
  List<String> roots;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    var daemon = ApiClient.find(repo.path());
    JsonObject stat;
    if (daemon.isPresent()) {
      stat = daemon.get().json("dag/stat", Params.of().args(roots));
    } else {
      try (Repo r = repo.open()) {
        stat = offline(r);
      }
    }
    print(spec.commandLine().getOut(), stat);
    return 0;
  }

  private JsonObject offline(Repo r) throws IOException {
    dev.tally.unixfs.UnixfsExporter exporter = new dev.tally.unixfs.UnixfsExporter(r.blocks());
    List<Cid> cids = new java.util.ArrayList<>();
    for (String text : roots) {
      cids.add(UnixfsPath.parse(text).resolve(exporter));
    }
    return dev.tally.node.DagStat.of(r.blocks(), cids);
  }

  private static void print(PrintWriter out, JsonObject stat) {
    out.println();
    out.println("CID\tBlocks\tSize");
    for (Object o : stat.getJsonArray("DagStats")) {
      JsonObject s = (JsonObject) o;
      out.println(
          s.getJsonObject("Cid").getString("/")
              + "\t"
              + s.getLong("NumBlocks")
              + "\t"
              + s.getLong("Size"));
    }
    out.println();
    out.println("Summary");
    out.println("Total Size: " + stat.getLong("TotalSize"));
    out.println("Unique Blocks: " + stat.getLong("UniqueBlocks"));
    out.println("Shared Size: " + stat.getLong("SharedSize"));
    out.println(String.format(java.util.Locale.ROOT, "Ratio: %f", stat.getDouble("Ratio")));
  }
}
