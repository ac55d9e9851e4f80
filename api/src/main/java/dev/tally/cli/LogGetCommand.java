package dev.tally.cli;

import dev.tally.ipld.DagJson;
import dev.tally.log.Entry;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log get CID}: the entry as DAG-JSON, after a strict decode. */
@Command(name = "get", description = "Print an entry as DAG-JSON.")
final class LogGetCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", description = "The entry's CID.")
  String cid;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Cid key = Cid.parse(cid);
    try (Repo r = repo.open()) {
      Entry e = Entry.decodeUntrusted(Blocks.require(r, key));
      spec.commandLine()
          .getOut()
          .println(new String(DagJson.encode(e.node()), StandardCharsets.UTF_8));
    }
    return 0;
  }
}
