package dev.tally.rpc;

import dev.tally.storage.repo.ConfigKeys;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.storage.repo.RepoException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * {@code config} ({@code arg=KEY[&arg=VALUE]}, {@code json}, {@code bool}) and {@code config/show},
 * as Kubo answers them. A value set is written to {@code config.json} after the whole config
 * validates; headers and authorizations apply to the next request, addresses at the next start.
 */
final class ConfigCommands {
  private ConfigCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("config", ConfigCommands::config);
    commands.put("config/show", ConfigCommands::show);
  }

  private static void show(RpcCall call) {
    call.blocking(() -> call.node().admin().config().toJson())
        .onSuccess(
            text -> call.response().putHeader("Content-Type", "application/json").end(text + "\n"))
        .onFailure(call::fail);
  }

  private static void config(RpcCall call) {
    String key = call.arg("key");
    List<String> args = call.args();
    boolean json = call.flag("json", false);
    boolean bool = call.flag("bool", false);
    if (args.size() > 2) {
      throw RpcException.badRequest("config takes KEY and an optional VALUE, got " + args.size());
    }
    Object value;
    try {
      value = args.size() == 2 ? ConfigKeys.parseValue(args.get(1), json, bool) : null;
    } catch (RepoException e) {
      throw RpcException.failed(e.getMessage());
    }
    call.blocking(
            () -> {
              try {
                if (value == null) {
                  return ConfigKeys.get(call.node().admin().config(), key);
                }
                synchronized (call.node().admin()) {
                  RepoConfig updated = ConfigKeys.set(call.node().admin().config(), key, value);
                  call.node().admin().writeConfig(updated);
                }
                return value;
              } catch (RepoException e) {
                throw RpcException.failed(e.getMessage());
              }
            })
        .onSuccess(v -> call.json(new JsonObject().put("Key", key).put("Value", v)))
        .onFailure(call::fail);
  }
}
