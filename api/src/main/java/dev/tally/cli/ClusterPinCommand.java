package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally cluster pin add|rm|ls}: the cluster's pinset. */
@Command(
    name = "pin",
    description = "Add, remove and list the cluster's pins.",
    subcommands = {
      ClusterPinCommand.Add.class,
      ClusterPinCommand.Rm.class,
      ClusterPinCommand.Ls.class
    })
final class ClusterPinCommand {
  private ClusterPinCommand() {}

  @Command(name = "add", description = "Pin a CID on the cluster; prints its allocated peers.")
  static final class Add implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CID", description = "The root of the DAG to pin.")
    String cid;

    @Option(
        names = "--replication-min",
        paramLabel = "N",
        description = "Fewest peers that must hold it (default 2).")
    Integer min;

    @Option(
        names = "--replication-max",
        paramLabel = "M",
        description = "Most peers that may hold it (default the larger of 3 and the min).")
    Integer max;

    @Option(names = "--name", paramLabel = "NAME", description = "A name for the pin.")
    String name;

    @Option(
        names = "--expire-in",
        paramLabel = "DURATION",
        description = "Drop the pin after this long (e.g. 24h, 1h30m); default never.")
    String expireIn;

    @Option(
        names = "--metadata",
        paramLabel = "KEY=VALUE",
        description = "A label for the pin; repeat for more.")
    List<String> metadata = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
      List<Map.Entry<String, String>> params = ClusterCommand.arg(cid);
      if (min != null) {
        params.add(Map.entry("replication-min", min.toString()));
      }
      if (max != null) {
        params.add(Map.entry("replication-max", max.toString()));
      }
      if (name != null) {
        params.add(Map.entry("name", name));
      }
      if (expireIn != null) {
        params.add(Map.entry("expire-in", expireIn));
      }
      metadata.forEach(kv -> params.add(Map.entry("metadata", kv)));
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/pin/add", params);
      JsonArray peers = answer.getJsonArray("Allocations", new JsonArray());
      spec.commandLine()
          .getOut()
          .println(
              "pinned "
                  + answer.getString("Cid")
                  + (peers.isEmpty()
                      ? " (no live member to hold it yet)"
                      : " on " + String.join(" ", peers.getList())));
      return 0;
    }
  }

  @Command(name = "rm", description = "Unpin a CID from the cluster.")
  static final class Rm implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CID", description = "A CID the cluster pins.")
    String cid;

    @Override
    public Integer call() throws IOException {
      JsonObject answer =
          ApiClient.require(repo.path()).json("cluster/pin/rm", ClusterCommand.arg(cid));
      spec.commandLine().getOut().println("unpinned " + answer.getString("Cid"));
      return 0;
    }
  }

  @Command(
      name = "ls",
      description = "List the cluster's pins: CID MIN..MAX NAME [expires=TIME] [KEY=VALUE...].")
  static final class Ls implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/pin/ls", List.of());
      JsonArray pins = answer.getJsonArray("Pins", new JsonArray());
      for (int i = 0; i < pins.size(); i++) {
        JsonObject p = pins.getJsonObject(i);
        String line =
            p.getString("Cid")
                + " "
                + p.getInteger("ReplicationMin")
                + ".."
                + p.getInteger("ReplicationMax");
        String name = p.getString("Name", "");
        StringBuilder out = new StringBuilder(name.isEmpty() ? line : line + " " + name);
        String expires = p.getString("Expires");
        if (expires != null) {
          out.append(" expires=").append(expires);
        }
        JsonObject meta = p.getJsonObject("Metadata", new JsonObject());
        meta.fieldNames().stream()
            .sorted()
            .forEach(k -> out.append(' ').append(k).append('=').append(meta.getString(k)));
        spec.commandLine().getOut().println(out);
      }
      return 0;
    }
  }
}
