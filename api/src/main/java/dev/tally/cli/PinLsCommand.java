package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinStatus;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally pin ls [CID...]}: {@code <cid> <type>} per pin (with {@code --names}, the name
 * after), {@code --quiet} for CIDs only; for given CIDs, how each is pinned ({@code <cid> indirect
 * through <root>}), as Kubo prints them.
 */
@Command(name = "ls", description = "List objects pinned to local storage.")
final class PinLsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", arity = "0..*", description = "CIDs to look up.")
  List<String> cids = List.of();

  @Option(
      names = {"-t", "--type"},
      paramLabel = "TYPE",
      description = "The type of pinned keys to list: direct, indirect, recursive, or all.")
  String type = "all";

  @Option(
      names = {"-q", "--quiet"},
      description = "Write just hashes of objects.")
  boolean quiet;

  @Option(
      names = {"-n", "--names"},
      description = "Include pin names in the output.")
  boolean names;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Optional<PinType> filter = "all".equals(type) ? Optional.empty() : PinType.byName(type);
    if (!"all".equals(type) && filter.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid type '" + type + "', must be one of {direct, indirect, recursive, all}");
    }
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try {
        daemon
            .get()
            .lines(
                "pin/ls",
                Params.of().args(cids).add("type", type).add("stream", true).add("names", names),
                line ->
                    print(
                        out,
                        Cid.parse(line.getString("Cid")),
                        line.getString("Type"),
                        line.getString("Name", "")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      if (cids.isEmpty()) {
        for (Pin p : r.pins().ls(filter)) {
          print(out, p.cid(), p.type().toString(), p.name());
        }
        return 0;
      }
      List<Cid> wanted = new ArrayList<>();
      for (String arg : cids) {
        wanted.add(PinCommand.parse(arg));
      }
      for (Map.Entry<Cid, PinStatus> e : r.pins().status(wanted).entrySet()) {
        PinStatus s = e.getValue();
        if (s.type().isEmpty() || (filter.isPresent() && filter.get() != s.type().get())) {
          throw new IllegalArgumentException("path '" + e.getKey() + "' is not pinned");
        }
        String how =
            s.type().get() == PinType.INDIRECT
                ? "indirect through " + s.via().orElseThrow()
                : s.type().get().toString();
        print(out, e.getKey(), how, "");
      }
    }
    return 0;
  }

  private void print(PrintWriter out, Cid cid, String type, String name) {
    if (quiet) {
      out.println(cid);
    } else if (names && !name.isEmpty()) {
      out.println(cid + " " + type + " " + name);
    } else {
      out.println(cid + " " + type);
    }
  }
}
