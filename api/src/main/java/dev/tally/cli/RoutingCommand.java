package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally routing}: who provides a CID, as {@code ipfs routing} (over connected peers). */
@Command(
    name = "routing",
    description = "Find and announce content providers (needs a running daemon).",
    subcommands = {RoutingCommand.FindProvs.class, RoutingCommand.Provide.class})
final class RoutingCommand {
  private RoutingCommand() {}

  @Command(name = "findprovs", description = "Find peers that can provide a specific value.")
  static final class FindProvs implements Callable<Integer> {
    @Mixin RepoOption repo;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY", description = "The CID to find providers for.")
    String key;

    @Option(
        names = {"-n", "--num-providers"},
        description = "The number of providers to find. Default: 20.")
    int num = 20;

    @Override
    public Integer call() throws IOException {
      List<JsonObject> events =
          ApiClient.require(repo.path())
              .jsonLines(
                  "routing/findprovs",
                  List.of(
                      Map.entry("arg", key), Map.entry("num-providers", Integer.toString(num))));
      for (JsonObject e : events) {
        JsonArray responses = e.getJsonArray("Responses", new JsonArray());
        for (int i = 0; i < responses.size(); i++) {
          spec.commandLine().getOut().println(responses.getJsonObject(i).getString("ID"));
        }
      }
      return 0;
    }
  }

  @Command(
      name = "provide",
      description = "Announce to the network that you are providing given values.")
  static final class Provide implements Callable<Integer> {
    @Mixin RepoOption repo;

    @Parameters(paramLabel = "KEY", description = "The CID you are providing.")
    String key;

    @Override
    public Integer call() throws IOException {
      ApiClient.require(repo.path()).jsonLines("routing/provide", List.of(Map.entry("arg", key)));
      return 0;
    }
  }
}
