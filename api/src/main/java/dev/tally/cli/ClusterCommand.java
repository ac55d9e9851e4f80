package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally cluster}: pinning across peers through the running daemon ({@code
 * /api/v0/cluster/*}).
 */
@Command(
    name = "cluster",
    description = "Pin across the peers of a cluster (needs a running daemon).",
    subcommands = {
      ClusterCommand.Create.class,
      ClusterCommand.Admit.class,
      ClusterCommand.Join.class,
      ClusterCommand.Peers.class,
      ClusterCommand.Remove.class,
      ClusterCommand.Leave.class,
      ClusterPinCommand.class,
      ClusterCommand.Status.class,
      ClusterCommand.Recover.class,
      ClusterCommand.Info.class,
      ClusterCommand.CheckpointNow.class
    })
final class ClusterCommand {
  private ClusterCommand() {}

  static List<Map.Entry<String, String>> arg(String value) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("arg", value));
    return out;
  }

  static void printStatus(PrintWriter out, JsonObject answer) {
    JsonArray peers = answer.getJsonArray("Peers", new JsonArray());
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      out.println(p.getString("Peer") + " " + p.getString("Status"));
    }
  }

  @Command(
      name = "create",
      description = "Create a cluster with this node as admin; prints its id.")
  static final class Create implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The cluster's name.")
    String name;

    @Option(
        names = "--heartbeat-interval",
        paramLabel = "DURATION",
        description = "How often members announce liveness (default 30s).")
    String heartbeat;

    @Option(
        names = "--down-after",
        paramLabel = "DURATION",
        description = "Silence after which a member's pins move to others (default 2m).")
    String downAfter;

    @Override
    public Integer call() throws IOException {
      List<Map.Entry<String, String>> params = arg(name);
      if (heartbeat != null) {
        params.add(Map.entry("heartbeat-interval", heartbeat));
      }
      if (downAfter != null) {
        params.add(Map.entry("down-after", downAfter));
      }
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/create", params);
      spec.commandLine().getOut().println(answer.getString("Id"));
      return 0;
    }
  }

  @Command(name = "admit", description = "Admit a peer as a member (run by any member).")
  static final class Admit implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PEER_ID", description = "The newcomer's peer id (12D3KooW...).")
    String peer;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/admit", arg(peer));
      spec.commandLine().getOut().println("admitted " + answer.getString("Peer"));
      return 0;
    }
  }

  @Command(name = "join", description = "Join a cluster that a member admitted this node to.")
  static final class Join implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The cluster id 'tally cluster create' printed.")
    String id;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/join", arg(id));
      spec.commandLine()
          .getOut()
          .println("joined " + answer.getString("Id") + " (" + answer.getString("Name") + ")");
      return 0;
    }
  }

  @Command(
      name = "peers",
      description =
          "List members: PEER_ID, live, down or struck-out (failed audits), pins allocated, free"
              + " bytes, failed audits.")
  static final class Peers implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/peers", List.of());
      JsonArray peers = answer.getJsonArray("Peers", new JsonArray());
      for (int i = 0; i < peers.size(); i++) {
        JsonObject p = peers.getJsonObject(i);
        spec.commandLine()
            .getOut()
            .println(
                p.getString("Peer")
                    + " "
                    + (p.getBoolean("StruckOut", false)
                        ? "struck-out"
                        : p.getBoolean("Live") ? "live" : "down")
                    + " "
                    + p.getInteger("Allocated")
                    + " pins "
                    + p.getLong("Free")
                    + " bytes free"
                    + (p.getInteger("AuditFailures", 0) > 0
                        ? " " + p.getInteger("AuditFailures") + " failed audits"
                        : "")
                    + (p.getBoolean("Self") ? " (self)" : ""));
      }
      return 0;
    }
  }

  @Command(
      name = "remove",
      description = "Remove a member (run by any other member); its pins move to the others.")
  static final class Remove implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PEER_ID", description = "The member's peer id (12D3KooW...).")
    String peer;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/remove", arg(peer));
      spec.commandLine().getOut().println("removed " + answer.getString("Peer"));
      return 0;
    }
  }

  @Command(name = "leave", description = "Leave the cluster; its pins here move to other members.")
  static final class Leave implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("cluster/leave", List.of());
      spec.commandLine().getOut().println("left " + answer.getString("Id"));
      return 0;
    }
  }

  @Command(
      name = "info",
      description =
          "Print the cluster's id, name, pins, members, log entries, records folded and the"
              + " checkpoint whose pinset snapshot this member loaded when it joined.")
  static final class Info implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject a = ApiClient.require(repo.path()).json("cluster/info", List.of());
      PrintWriter out = spec.commandLine().getOut();
      out.println(a.getString("Id") + " " + a.getString("Name"));
      out.println(
          a.getInteger("Pins")
              + " pins, "
              + a.getInteger("Members")
              + " members, "
              + a.getLong("LogEntries")
              + " log entries, "
              + a.getLong("Folded")
              + " records folded");
      JsonObject loaded = a.getJsonObject("LoadedFrom");
      if (loaded != null) {
        out.println(
            "loaded from checkpoint "
                + loaded.getString("Cid")
                + " ("
                + loaded.getLong("Count")
                + " entries) snapshot "
                + loaded.getString("StateRoot"));
      }
      JsonObject fin = a.getJsonObject("Final");
      if (fin != null) {
        out.println("final checkpoint " + fin.getString("Cid") + " (" + fin.getLong("Count") + ")");
      }
      return 0;
    }
  }

  @Command(
      name = "checkpoint",
      description =
          "Checkpoint the cluster log now with the pinset's snapshot (the creator does so every"
              + " 10,000 entries on its own); new members load the pinset from it.")
  static final class CheckpointNow implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject a = ApiClient.require(repo.path()).json("cluster/checkpoint", List.of());
      spec.commandLine()
          .getOut()
          .println(
              "checkpoint "
                  + a.getString("Cid")
                  + " "
                  + a.getString("Status")
                  + " count "
                  + a.getLong("Count"));
      return 0;
    }
  }

  /** A command on one cluster pin that prints its status per allocated peer. */
  abstract static class OnPin implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CID", description = "A CID the cluster pins.")
    String cid;

    /** The RPC command, under {@code /api/v0/}. */
    abstract String rpc();

    @Override
    public Integer call() throws IOException {
      printStatus(
          spec.commandLine().getOut(), ApiClient.require(repo.path()).json(rpc(), arg(cid)));
      return 0;
    }
  }

  @Command(
      name = "status",
      description = "Status of a pin on each peer it is allocated to: PEER_ID STATUS.")
  static final class Status extends OnPin {
    @Override
    String rpc() {
      return "cluster/status";
    }
  }

  @Command(name = "recover", description = "Retry a failed pin on this node now; prints status.")
  static final class Recover extends OnPin {
    @Override
    String rpc() {
      return "cluster/recover";
    }
  }
}
