package dev.tally.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally id [PEER]}: the daemon's (or a known peer's) identity, printed as Kubo's. */
@Command(name = "id", description = "Show IPFS node id info (needs a running daemon).")
final class IdCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "PEER", arity = "0..1", description = "Peer ID (default: this node).")
  List<String> peer = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ApiClient api = ApiClient.require(repo.path());
    List<Map.Entry<String, String>> params = new ArrayList<>();
    peer.forEach(p -> params.add(Map.entry("arg", p)));
    JsonObject id = api.json("id", params);
    spec.commandLine().getOut().println(indent(id, ""));
    return 0;
  }

  /** Go's {@code json.MarshalIndent(v, "", "\t")}, which Kubo's {@code id} prints. */
  static String indent(Object value, String prefix) {
    String inner = prefix + "\t";
    if (value instanceof JsonObject o) {
      if (o.isEmpty()) {
        return "{}";
      }
      StringBuilder out = new StringBuilder("{\n");
      int i = 0;
      for (Map.Entry<String, Object> e : o) {
        out.append(inner)
            .append(new JsonArray().add(e.getKey()).encode(), 1, e.getKey().length() + 3)
            .append(": ")
            .append(indent(e.getValue(), inner))
            .append(++i < o.size() ? ",\n" : "\n");
      }
      return out.append(prefix).append('}').toString();
    }
    if (value instanceof JsonArray a) {
      if (a.isEmpty()) {
        return "[]";
      }
      StringBuilder out = new StringBuilder("[\n");
      for (int i = 0; i < a.size(); i++) {
        out.append(inner)
            .append(indent(a.getValue(i), inner))
            .append(i + 1 < a.size() ? ",\n" : "\n");
      }
      return out.append(prefix).append(']').toString();
    }
    String encoded = new JsonArray().add(value).encode();
    return encoded.substring(1, encoded.length() - 1);
  }
}
