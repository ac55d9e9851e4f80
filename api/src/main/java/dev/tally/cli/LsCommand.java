package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.EntryType;
import dev.tally.unixfs.UnixfsEntry;
import dev.tally.unixfs.UnixfsExporter;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally ls PATH...}: lists directory entries as {@code <cid> <size> <name>}. */
@Command(name = "ls", description = "List directory contents for UnixFS objects.")
final class LsCommand implements Runnable {
  @Mixin RepoOption repo;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "CIDs or /ipfs/ paths of directories.")
  List<String> paths;

  @Option(
      names = {"-v", "--headers"},
      description = "Print table headers (Hash, Size, Name).")
  boolean headers;

  @Option(
      names = "--size",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Resolve and print file sizes (default true).")
  boolean size;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    try (Repo r = repo.open()) {
      UnixfsExporter exporter = new UnixfsExporter(r.blocks());
      for (String text : paths) {
        var cid = UnixfsPath.parse(text).resolve(exporter);
        List<UnixfsEntry> entries =
            exporter.stat(cid).type() == EntryType.DIRECTORY
                ? exporter.ls(cid)
                : List.of(exporter.stat(cid));
        if (paths.size() > 1) {
          out.println(text + ":");
        }
        if (headers) {
          out.println(size ? "Hash\tSize\tName" : "Hash\tName");
        }
        for (UnixfsEntry e : entries) {
          String name = e.type() == EntryType.DIRECTORY ? e.name() + "/" : e.name();
          if (size) {
            String sz = e.type() == EntryType.DIRECTORY ? "-" : Long.toString(e.size());
            out.println(e.cid() + " " + sz + " " + name);
          } else {
            out.println(e.cid() + " " + name);
          }
        }
        if (paths.size() > 1) {
          out.println();
        }
      }
    }
  }
}
