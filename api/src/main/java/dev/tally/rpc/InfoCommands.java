package dev.tally.rpc;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** {@code version}, {@code id}, {@code repo/stat} and {@code shutdown}. */
final class InfoCommands {
  /** The repo format version, as {@code ipfs version}'s "Repo" field reports Kubo's. */
  private static final String REPO_VERSION = "1";

  private InfoCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("version", InfoCommands::version);
    commands.put("id", InfoCommands::id);
    commands.put("shutdown", InfoCommands::shutdown);
    commands.put("repo/stat", InfoCommands::repoStat);
  }

  private static void version(RpcCall call) {
    String agent = call.node().agentVersion();
    call.json(
        new JsonObject()
            .put("Version", agent.substring(agent.indexOf('/') + 1))
            .put("Commit", "")
            .put("Repo", REPO_VERSION)
            .put("System", arch() + "/" + os())
            .put("Java", Runtime.version().toString()));
  }

  private static String arch() {
    String arch = System.getProperty("os.arch", "unknown");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }

  private static String os() {
    return System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  private static void id(RpcCall call) {
    PeerId self = call.node().publicKey().peerId();
    if (!call.args().isEmpty()) {
      PeerId asked;
      try {
        asked = PeerId.parse(call.args().get(0));
      } catch (IllegalArgumentException e) {
        throw RpcException.failed(
            "invalid peer id \"" + call.args().get(0) + "\": " + e.getMessage());
      }
      if (!asked.equals(self)) {
        throw RpcException.failed(
            "cannot look up peer " + asked + ": this node runs without the network for now");
      }
    }
    JsonArray addresses = new JsonArray();
    for (Multiaddr a : call.node().swarmAddresses()) {
      addresses.add(a + "/p2p/" + self);
    }
    call.json(
        new JsonObject()
            .put("ID", self.toString())
            .put("PublicKey", Base64.getEncoder().encodeToString(call.node().publicKey().marshal()))
            .put("Addresses", addresses)
            .put("AgentVersion", call.node().agentVersion())
            .put("Protocols", new JsonArray()));
  }

  private static void repoStat(RpcCall call) {
    boolean sizeOnly = call.flag("size-only", false);
    call.blocking(() -> call.node().repoStat().get())
        .onSuccess(
            s -> {
              JsonObject out =
                  new JsonObject().put("RepoSize", s.repoSize()).put("StorageMax", s.storageMax());
              if (!sizeOnly) {
                out.put("NumObjects", s.numObjects())
                    .put("RepoPath", s.repoPath().toString())
                    .put("Version", s.version());
              }
              call.json(out);
            })
        .onFailure(call::fail);
  }

  private static void shutdown(RpcCall call) {
    // Stop only once the answer is out: closing the server first could cut it off.
    call.response().end().onComplete(v -> call.node().shutdown().run());
  }
}
