package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.UnixfsExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally get PATH [-o OUT]}: writes a file or directory tree to disk. */
@Command(name = "get", description = "Download IPFS objects to the local filesystem.")
final class GetCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "PATH", description = "CID or /ipfs/ path to get.")
  String path;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      description = "Where to write (default: the name or CID).")
  Path output;

  @Option(
      names = "--progress",
      arity = "0..1",
      fallbackValue = "true",
      description = "Show a progress bar (default: on a terminal; --progress=false to hide).")
  Boolean progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    UnixfsPath p = UnixfsPath.parse(path);
    Path target = output != null ? output : Path.of(p.lastName());
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(target + " already exists; choose another path with -o");
    }
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      Io.current().err.println("Saving file(s) to " + target);
      long[] total = {-1};
      try (java.io.InputStream tar =
          daemon.get().post("get", Params.of().add("arg", path), n -> total[0] = n)) {
        // The bar counts the archive, a little more than the content whose size the daemon
        // sends; it stops at 100 %.
        Progress bar =
            Progress.start(
                Progress.enabled(progress, false, Progress.terminal()),
                spec.commandLine().getErr(),
                total[0]);
        try {
          TarExtract.extract(bar.counting(tar), target);
        } finally {
          bar.finish();
        }
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      UnixfsExporter exporter = new UnixfsExporter(r.blocks());
      var cid = p.resolve(exporter);
      Io.current().err.println("Saving file(s) to " + target);
      exporter.get(cid, target);
    }
    return 0;
  }
}
