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

  /** The daemon's {@code ls} answer, printed as the offline listing. */
  private void through(ApiClient daemon, PrintWriter out) {
    io.vertx.core.json.JsonObject answer;
    try {
      answer = daemon.json("ls", Params.of().args(paths).add("size", size));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (Object o : answer.getJsonArray("Objects")) {
      io.vertx.core.json.JsonObject object = (io.vertx.core.json.JsonObject) o;
      if (paths.size() > 1) {
        out.println(object.getString("Hash") + ":");
      }
      if (headers) {
        out.println(size ? "Hash\tSize\tName" : "Hash\tName");
      }
      for (Object l : object.getJsonArray("Links")) {
        io.vertx.core.json.JsonObject link = (io.vertx.core.json.JsonObject) l;
        boolean dir = link.getInteger("Type") == 1;
        String name = dir ? link.getString("Name") + "/" : link.getString("Name");
        if (size) {
          String sz = dir ? "-" : Long.toString(link.getLong("Size"));
          out.println(link.getString("Hash") + " " + sz + " " + name);
        } else {
          out.println(link.getString("Hash") + " " + name);
        }
      }
      if (paths.size() > 1) {
        out.println();
      }
    }
  }

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      through(daemon.get(), out);
      return;
    }
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
