package dev.tally.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tally log subscribe LOG}: new verified entries as ndjson, until interrupted. */
@Command(
    name = "subscribe",
    description =
        "Stream each new verified entry (appended here or replicated from peers) as one JSON line:"
            + " Cid, Time, Author, Record. Needs the daemon.")
final class LogSubscribeCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "LOG", description = "The log id.")
  String log;

  @Override
  public Integer call() throws IOException {
    try (InputStream body =
            ApiClient.require(repo.path()).post("log/subscribe", List.of(Map.entry("arg", log)));
        OutputStream out = new NonClosing(Io.current().out)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = body.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
    return 0;
  }
}
