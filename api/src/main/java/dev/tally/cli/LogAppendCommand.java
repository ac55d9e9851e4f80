package dev.tally.cli;

import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally log append LOG [FILE]}: signs a DAG-JSON record with this node's key. */
@Command(name = "append", description = "Append a record (DAG-JSON); prints the entry CID.")
final class LogAppendCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(index = "0", paramLabel = "LOG", description = "The log id.")
  String log;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "FILE",
      description = "The record as DAG-JSON (stdin if absent or -).")
  String file = "-";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    byte[] json = Inputs.readBounded(file, Entry.MAX_SIZE * 4, "a log entry holds at most 64 KiB");
    IpldNode record = DagJson.decode(json);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      spec.commandLine()
          .getOut()
          .println(Logs.appendThroughDaemon(daemon.get(), "log/append", log, json));
      return 0;
    }
    try (Repo r = repo.open()) {
      Log l = Logs.open(r, log);
      Entry e = l.append(record, Logs.nodeKey(r));
      Logs.headsFiles(r).save(l.id(), l.heads());
      spec.commandLine().getOut().println(e.cid());
    }
    return 0;
  }
}
