package dev.tally.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code tally plugins ls}: each plugin's state, origin and error ({@code /api/v0/plugins/ls}). */
@Command(
    name = "ls",
    description = "List plugins: name, state, SPI version, where it was loaded from, error.")
final class PluginsLsCommand implements Callable<Integer> {
  @Mixin RepoOption repo;
  @Mixin EncodingOption enc;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    JsonObject body = ApiClient.require(repo.path()).json("plugins/ls", List.of());
    PrintWriter out = spec.commandLine().getOut();
    if (enc.json()) {
      out.println(body.encode());
      return 0;
    }
    TextTable t = new TextTable("NAME", "STATE", "SPI", "ORIGIN", "ERROR");
    for (Object o : body.getJsonArray("Plugins")) {
      JsonObject p = (JsonObject) o;
      t.row(
          p.getString("Name"),
          p.getString("State"),
          p.getString("SpiVersion"),
          p.getString("Origin"),
          p.getString("Error"));
    }
    t.print(out);
    return 0;
  }
}
