package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally bitswap}: the daemon's block exchange, printed as {@code ipfs bitswap} prints it.
 */
@Command(
    name = "bitswap",
    description = "Interact with the block exchange (needs a running daemon).",
    subcommands = {
      BitswapCommand.Stat.class,
      BitswapCommand.Wantlist.class,
      BitswapCommand.Ledger.class
    })
final class BitswapCommand {
  private BitswapCommand() {}

  @Command(name = "stat", description = "Show some diagnostic information on the exchange.")
  static final class Stat implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      JsonObject s = ApiClient.require(repo.path()).json("bitswap/stat", List.of());
      PrintWriter out = spec.commandLine().getOut();
      out.println("bitswap status");
      out.println("\tblocks received: " + s.getLong("BlocksReceived", 0L));
      out.println("\tblocks sent: " + s.getLong("BlocksSent", 0L));
      out.println("\tdata received: " + s.getLong("DataReceived", 0L));
      out.println("\tdata sent: " + s.getLong("DataSent", 0L));
      out.println("\tdup blocks received: " + s.getLong("DupBlksReceived", 0L));
      out.println("\tdup data received: " + s.getLong("DupDataReceived", 0L));
      out.println("\twantlist [" + s.getJsonArray("Wantlist", new JsonArray()).size() + " keys]");
      JsonArray wants = s.getJsonArray("Wantlist", new JsonArray());
      for (int i = 0; i < wants.size(); i++) {
        out.println("\t\t" + wants.getJsonObject(i).getString("/"));
      }
      out.println("\tpartners [" + s.getJsonArray("Peers", new JsonArray()).size() + "]");
      return 0;
    }
  }

  @Command(name = "wantlist", description = "Show blocks currently on the wantlist.")
  static final class Wantlist implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-p", "--peer"},
        description = "Specify which peer to show wantlist for.")
    String peer;

    @Override
    public Integer call() throws IOException {
      List<Map.Entry<String, String>> options =
          peer == null ? List.of() : List.of(Map.entry("peer", peer));
      JsonArray keys =
          ApiClient.require(repo.path())
              .json("bitswap/wantlist", options)
              .getJsonArray("Keys", new JsonArray());
      for (int i = 0; i < keys.size(); i++) {
        spec.commandLine().getOut().println(keys.getJsonObject(i).getString("/"));
      }
      return 0;
    }
  }

  @Command(name = "ledger", description = "Show the current ledger for a peer.")
  static final class Ledger implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PEER", description = "The PeerID (B58) of the ledger to inspect.")
    String peer;

    @Override
    public Integer call() throws IOException {
      JsonObject l =
          ApiClient.require(repo.path()).json("bitswap/ledger", List.of(Map.entry("arg", peer)));
      PrintWriter out = spec.commandLine().getOut();
      out.println("Ledger for " + l.getString("Peer"));
      out.println(String.format(Locale.ROOT, "Debt ratio:\t%f", l.getDouble("Value", 0.0)));
      out.println("Exchanges:\t" + l.getLong("Exchanged", 0L));
      out.println("Bytes sent:\t" + l.getLong("Sent", 0L));
      out.println("Bytes received:\t" + l.getLong("Recv", 0L));
      return 0;
    }
  }
}
