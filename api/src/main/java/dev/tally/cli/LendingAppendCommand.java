package dev.tally.cli;

import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.write.LendingWriter;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally lending append LOG [FILE]}: any record as DAG-JSON, decoded strictly and judged. */
@Command(
    name = "append",
    description =
        "Append a lending record given as DAG-JSON, after the same checks as every peer's.")
final class LendingAppendCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "LOG")
  String log;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "FILE",
      description = "stdin if absent or -")
  String file = "-";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    byte[] json = Inputs.readBounded(file, Entry.MAX_SIZE * 4, "a log entry holds at most 64 KiB");
    IpldNode node = DagJson.decode(json);
    LendingRecord.decode(node);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      spec.commandLine()
          .getOut()
          .println(Logs.appendThroughDaemon(daemon.get(), "lending/append", log, json));
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      Entry e = new LendingWriter(l, Logs.nodeKey(r)).appendNode(node);
      Logs.headsFiles(r).save(l.id(), l.heads());
      spec.commandLine().getOut().println(e.cid());
    }
    return 0;
  }
}
