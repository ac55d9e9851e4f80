package dev.tally.rpc;

import dev.tally.multiformats.Cid;
import dev.tally.node.FetchingBlockstore;
import dev.tally.node.IpfsPath;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinStatus;
import dev.tally.storage.pin.PinType;
import dev.tally.unixfs.UnixfsExporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code pin/add}, {@code pin/ls} and {@code pin/rm} over the repo's pins. */
final class PinCommands {
  private PinCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("pin/add", PinCommands::add);
    commands.put("pin/ls", PinCommands::ls);
    commands.put("pin/rm", PinCommands::rm);
  }

  /** Resolves each path argument to the CID it names (blocking). */
  private static List<Cid> resolve(RpcCall call, List<String> paths) {
    UnixfsExporter exporter = new UnixfsExporter(call.node().blocks());
    List<Cid> cids = new ArrayList<>(paths.size());
    for (String p : paths) {
      IpfsPath path = IpfsPath.parse(p);
      cids.add(
          path.segments().isEmpty() ? path.root() : exporter.resolve(path.root(), path.rest()));
    }
    return cids;
  }

  private static void add(RpcCall call) {
    call.arg("ipfs-path");
    List<String> paths = call.args();
    boolean recursive = call.flag("recursive", true);
    String name = call.option("name", "");
    call.blocking(
            () -> {
              JsonArray pinned = new JsonArray();
              for (Cid cid : resolve(call, paths)) {
                if (recursive && call.node().blocks() instanceof FetchingBlockstore online) {
                  online.fetchAll(cid); // content only peers hold: fetch it before pinning
                }
                call.node().pins().add(cid, recursive, name);
                pinned.add(cid.toString());
              }
              return new JsonObject().put("Pins", pinned);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void rm(RpcCall call) {
    call.arg("ipfs-path");
    List<String> paths = call.args();
    boolean recursive = call.flag("recursive", true);
    call.blocking(
            () -> {
              JsonArray removed = new JsonArray();
              for (Cid cid : resolve(call, paths)) {
                call.node().pins().rm(cid, recursive);
                removed.add(cid.toString());
              }
              return new JsonObject().put("Pins", removed);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static void ls(RpcCall call) {
    String typeName = call.option("type", "all");
    Optional<PinType> type =
        typeName.equals("all")
            ? Optional.empty()
            : Optional.of(
                PinType.byName(typeName)
                    .orElseThrow(
                        () ->
                            RpcException.failed(
                                "invalid type '"
                                    + typeName
                                    + "', must be one of {direct, indirect, recursive, all}")));
    boolean stream = call.flag("stream", false);
    boolean names = call.flag("names", false);
    List<String> paths = call.args();
    call.blocking(
            () -> {
              List<Pin> pins = new ArrayList<>();
              if (paths.isEmpty()) {
                pins.addAll(call.node().pins().ls(type));
              } else {
                Map<Cid, PinStatus> status = call.node().pins().status(resolve(call, paths));
                for (PinStatus s : status.values()) {
                  if (!s.pinned()) {
                    throw RpcException.failed("path '" + s.cid() + "' is not pinned");
                  }
                  if (type.isEmpty() || type.get() == s.type().get()) {
                    pins.add(new Pin(s.cid(), s.type().get(), ""));
                  }
                }
              }
              StringBuilder out = new StringBuilder();
              JsonObject keys = new JsonObject();
              for (Pin pin : pins) {
                JsonObject entry = new JsonObject().put("Type", pin.type().toString());
                if (names && !pin.name().isEmpty()) {
                  entry.put("Name", pin.name());
                }
                if (stream) {
                  out.append(entry.put("Cid", pin.cid().toString()).encode()).append('\n');
                } else {
                  keys.put(pin.cid().toString(), entry);
                }
              }
              return stream ? out.toString() : new JsonObject().put("Keys", keys).encode() + "\n";
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }
}
