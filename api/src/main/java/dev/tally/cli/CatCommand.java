package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.UnixfsExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally cat PATH...}: writes file contents to stdout, reading only the blocks needed. */
@Command(name = "cat", description = "Show IPFS object data.")
final class CatCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "CIDs or /ipfs/ paths of files.")
  List<String> paths;

  @Option(
      names = {"-o", "--offset"},
      paramLabel = "N",
      description = "Byte offset to begin reading from.")
  long offset;

  @Option(
      names = {"-l", "--length"},
      paramLabel = "N",
      description = "Maximum number of bytes to read.")
  Long length;

  @Override
  public Integer call() throws IOException {
    if (offset < 0 || (length != null && length < 0)) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      List<java.util.Map.Entry<String, String>> params = new java.util.ArrayList<>();
      paths.forEach(p -> params.add(java.util.Map.entry("arg", p)));
      params.add(java.util.Map.entry("offset", "" + offset));
      if (length != null) {
        params.add(java.util.Map.entry("length", "" + length));
      }
      try (InputStream body = daemon.get().post("cat", params);
          OutputStream out = new NonClosing(Io.current().out)) {
        body.transferTo(out);
      }
      return 0;
    }
    try (Repo r = repo.open();
        OutputStream out = new BufferedOutputStream(new NonClosing(Io.current().out), 1 << 16)) {
      UnixfsExporter exporter = new UnixfsExporter(r.blocks());
      long remaining = length == null ? Long.MAX_VALUE : length;
      long skip = offset;
      for (String text : paths) {
        // Kubo applies offset and length across the concatenation of all the files named.
        var cid = UnixfsPath.parse(text).resolve(exporter);
        long size = exporter.stat(cid).size();
        if (skip >= size) {
          skip -= size;
          continue;
        }
        long n = Math.min(remaining, size - skip);
        exporter.cat(cid, skip, n, out);
        remaining -= n;
        skip = 0;
        if (remaining == 0) {
          break;
        }
      }
    }
    return 0;
  }
}
