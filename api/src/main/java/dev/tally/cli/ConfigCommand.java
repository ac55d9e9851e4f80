package dev.tally.cli;

import dev.tally.storage.repo.ConfigKeys;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.storage.repo.RepoException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally config KEY [VALUE] [--json] [--bool]}: reads or sets one config value by its Kubo
 * key ({@code Addresses.API}, {@code API.HTTPHeaders}, …), through the daemon when one runs. A
 * string value prints as is, anything else as JSON; setting prints nothing.
 */
@Command(
    name = "config",
    description = "Get and set Tally config values (Kubo's key names).",
    subcommands = {ConfigCommand.Show.class})
final class ConfigCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  // Optional to picocli only so that 'config show' parses; call() requires it.
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KEY",
      description = "The key, e.g. Addresses.API.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "Value to set.")
  String value;

  @Option(names = "--json", description = "Parse VALUE as JSON.")
  boolean json;

  @Option(names = "--bool", description = "Set a boolean value.")
  boolean bool;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (key == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Missing required parameter: 'KEY'");
    }
    PrintWriter out = spec.commandLine().getOut();
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      Params params = Params.of().add("arg", key);
      if (value != null) {
        params.add("arg", value).add("json", json).add("bool", bool);
      }
      JsonObject answer = daemon.get().json("config", params);
      if (value == null) {
        out.println(text(answer.getValue("Value")));
      }
      return 0;
    }
    try (Repo r = repo.open()) {
      if (value == null) {
        out.println(text(ConfigKeys.get(r.config(), key)));
        return 0;
      }
      RepoConfig updated =
          ConfigKeys.set(r.config(), key, ConfigKeys.parseValue(value, json, bool));
      r.writeConfig(updated);
    } catch (RepoException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return 0;
  }

  static String text(Object value) {
    if (value instanceof JsonObject o) {
      return o.encodePrettily();
    }
    if (value instanceof JsonArray a) {
      return a.encodePrettily();
    }
    return String.valueOf(value);
  }

  /** {@code tally config show}: the whole config as JSON. */
  @Command(name = "show", description = "Output the config file contents.")
  static final class Show implements Callable<Integer> {
    @Mixin RepoOption repo;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      var daemon = ApiClient.find(repo.path());
      if (daemon.isPresent()) {
        try (var body = daemon.get().post("config/show", Params.of())) {
          spec.commandLine()
              .getOut()
              .println(
                  new JsonObject(
                          new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                      .encodePrettily());
        }
        return 0;
      }
      try (Repo r = repo.open()) {
        spec.commandLine().getOut().println(r.config().toJson());
      }
      return 0;
    }
  }
}
