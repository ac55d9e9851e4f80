package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally swarm}: the daemon's peer connections, as {@code ipfs swarm}. */
@Command(
    name = "swarm",
    description = "Interact with the swarm (needs a running daemon).",
    subcommands = {
      SwarmCommand.Peers.class,
      SwarmCommand.Connect.class,
      SwarmCommand.Disconnect.class,
      SwarmCommand.Addrs.class
    })
final class SwarmCommand {
  private SwarmCommand() {}

  private static void printStrings(PrintWriter out, JsonObject answer) {
    JsonArray strings = answer.getJsonArray("Strings", new JsonArray());
    for (int i = 0; i < strings.size(); i++) {
      out.println(strings.getString(i));
    }
  }

  private static List<Map.Entry<String, String>> args(List<String> values) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    values.forEach(v -> out.add(Map.entry("arg", v)));
    return out;
  }

  @Command(name = "peers", description = "List peers with open connections.")
  static final class Peers implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("swarm/peers", List.of());
      List<String> lines = new ArrayList<>();
      JsonArray peers = answer.getJsonArray("Peers", new JsonArray());
      for (int i = 0; i < peers.size(); i++) {
        JsonObject p = peers.getJsonObject(i);
        lines.add(p.getString("Addr") + "/p2p/" + p.getString("Peer"));
      }
      lines.sort(null);
      lines.forEach(spec.commandLine().getOut()::println);
      return 0;
    }
  }

  @Command(name = "connect", description = "Open connection to a given peer.")
  static final class Connect implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ADDRESS", arity = "1..*", description = "Multiaddr with /p2p/ID.")
    List<String> addresses;

    @Override
    public Integer call() throws IOException {
      printStrings(
          spec.commandLine().getOut(),
          ApiClient.require(repo.path()).json("swarm/connect", args(addresses)));
      return 0;
    }
  }

  @Command(name = "disconnect", description = "Close connection to a given address.")
  static final class Disconnect implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ADDRESS", arity = "1..*", description = "Multiaddr with /p2p/ID.")
    List<String> addresses;

    @Override
    public Integer call() throws IOException {
      printStrings(
          spec.commandLine().getOut(),
          ApiClient.require(repo.path()).json("swarm/disconnect", args(addresses)));
      return 0;
    }
  }

  @Command(
      name = "addrs",
      description = "List known addresses of peers.",
      subcommands = {SwarmCommand.Listen.class})
  static final class Addrs implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject addrs =
          ApiClient.require(repo.path())
              .json("swarm/addrs", List.of())
              .getJsonObject("Addrs", new JsonObject());
      PrintWriter out = spec.commandLine().getOut();
      for (Map.Entry<String, Object> peer : new TreeMap<>(addrs.getMap()).entrySet()) {
        List<String> list = new ArrayList<>();
        addrs.getJsonArray(peer.getKey()).forEach(a -> list.add(a.toString()));
        list.sort(null);
        out.println(peer.getKey() + " (" + list.size() + ")");
        list.forEach(a -> out.println("\t" + a));
      }
      return 0;
    }
  }

  @Command(name = "listen", description = "List interface listening addresses.")
  static final class Listen implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject answer = ApiClient.require(repo.path()).json("swarm/addrs/listen", List.of());
      List<String> lines = new ArrayList<>();
      answer.getJsonArray("Strings", new JsonArray()).forEach(a -> lines.add(a.toString()));
      lines.sort(null);
      lines.forEach(spec.commandLine().getOut()::println);
      return 0;
    }
  }
}
