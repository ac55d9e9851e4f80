package dev.tally.rpc;

import dev.tally.http.ApiAccess;
import dev.tally.node.Network;
import dev.tally.node.Node;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /api/v0} request handler: POST only (as Kubo, so a web page cannot trigger commands
 * with a plain link), no cross-origin browser requests, and one {@link RpcCommand} per command
 * path.
 */
public final class RpcApi implements Handler<HttpServerRequest> {
  public static final String PREFIX = "/api/v0/";

  private final Node node;
  private final WorkerExecutor workers;
  private final RpcSettings settings;
  private final Map<String, RpcCommand> commands = new HashMap<>();
  private final ApiAccess access;

  public RpcApi(Node node, WorkerExecutor workers, RpcSettings settings) {
    this(node, Optional.empty(), workers, settings);
  }

  /** An online node's API: adds the swarm, ping and bitswap commands over {@code network}. */
  public RpcApi(Node node, Network network, WorkerExecutor workers, RpcSettings settings) {
    this(node, Optional.of(network), workers, settings);
  }

  private RpcApi(
      Node node, Optional<Network> network, WorkerExecutor workers, RpcSettings settings) {
    this.node = node;
    this.workers = workers;
    this.settings = settings;
    this.access = new ApiAccess(() -> node.admin().config().api());
    InfoCommands.register(commands);
    AddCommand.register(commands);
    FileCommands.register(commands);
    BlockCommands.register(commands);
    DagCommands.register(commands);
    CidCommands.register(commands);
    PinCommands.register(commands);
    RepoCommands.register(commands);
    ConfigCommands.register(commands);
    network.ifPresent(n -> NetworkCommands.register(commands, n));
  }

  /** Adds {@code /api/v0/cluster/*} over {@code membership}; call before serving requests. */
  public RpcApi withCluster(dev.tally.node.ClusterMembership membership) {
    ClusterCommands.register(commands, membership);
    return this;
  }

  /** Adds the {@code log/*} commands over the node's replicated logs. */
  public RpcApi withLogs(dev.tally.node.NodeLogs logs, Optional<Network> network) {
    LogCommands.register(commands, logs, network);
    LendingCommands.register(commands, logs);
    return this;
  }

  /** The command {@code path} names, if it names one (metrics tag requests with it). */
  public Optional<String> command(String path) {
    if (!path.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String name = trimSlash(path.substring(PREFIX.length()));
    return commands.containsKey(name) ? Optional.of(name) : Optional.empty();
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    RpcCommand command =
        path.startsWith(PREFIX) ? commands.get(trimSlash(path.substring(PREFIX.length()))) : null;
    if (command == null) {
      // Kubo answers unknown commands with Go's plain 404 text.
      request
          .response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("404 page not found\n");
      return;
    }
    if (!access.admit(request)) {
      return;
    }
    if (request.method() != HttpMethod.POST) {
      request
          .response()
          .setStatusCode(405)
          .putHeader("Allow", "POST")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("405 - Method Not Allowed\n");
      return;
    }
    Context context = Vertx.currentContext();
    RpcCall call = new RpcCall(request, context, node, workers, settings);
    try {
      // Decoded once up front: a '%' without two hex digits is the client's error (400), not a
      // failure of whichever command reads its first argument.
      request.params();
    } catch (IllegalArgumentException e) {
      call.fail(RpcException.badRequest("malformed query string: " + e.getMessage()));
      return;
    }
    try {
      command.handle(call);
    } catch (RuntimeException e) {
      call.fail(e);
    }
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
