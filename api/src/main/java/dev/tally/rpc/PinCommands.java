package dev.tally.rpc;

import dev.tally.multiformats.Cid;
import dev.tally.node.FetchingPinner;
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
    commands.put("pin/update", PinCommands::update);
    commands.put("pin/verify", PinCommands::verify);
  }

  /** {@code arg=FROM&arg=TO[&unpin=false]}: answers {@code {"Pins":[FROM,TO]}}, as Kubo. */
  private static void update(RpcCall call) {
    call.arg("from-path");
    if (call.args().size() < 2 || call.args().get(1).isEmpty()) {
      throw RpcException.badRequest("argument \"to-path\" is required");
    }
    List<String> paths = call.args().subList(0, 2);
    boolean unpin = call.flag("unpin", true);
    call.blocking(
            () -> {
              List<Cid> cids = resolve(call, paths);
              FetchingPinner.of(call.node()).update(cids.get(0), cids.get(1), unpin);
              return new JsonObject()
                  .put(
                      "Pins",
                      new JsonArray().add(cids.get(0).toString()).add(cids.get(1).toString()));
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  /**
   * One {@code {"Cid","Ok","BadNodes":[{"Cid","Err"}]}} line per recursive pin ({@code verbose}:
   * also the good ones; {@code quiet}: only the CIDs of broken ones), as Kubo streams them.
   */
  private static void verify(RpcCall call) {
    boolean verbose = call.flag("verbose", false);
    boolean quiet = call.flag("quiet", false);
    call.stream(
        "application/json",
        out ->
            call.node()
                .pins()
                .verify(
                    verbose && !quiet,
                    v -> {
                      JsonObject line = new JsonObject().put("Cid", v.cid().toString());
                      if (!quiet) {
                        line.put("Ok", v.ok());
                        if (!v.badBlocks().isEmpty()) {
                          JsonArray bad = new JsonArray();
                          v.badBlocks()
                              .forEach(
                                  b ->
                                      bad.add(
                                          new JsonObject()
                                              .put("Cid", b.cid().toString())
                                              .put("Err", b.error())));
                          line.put("BadNodes", bad);
                        }
                      }
                      try {
                        out.write(
                            (line.encode() + "\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }));
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
    if (call.flag("progress", false)) {
      addWithProgress(call, paths, recursive, name);
      return;
    }
    call.blocking(
            () -> {
              JsonArray pinned = new JsonArray();
              FetchingPinner pins = FetchingPinner.of(call.node());
              for (Cid cid : resolve(call, paths)) {
                pins.add(cid, recursive, name); // content only peers hold is fetched first
                pinned.add(cid.toString());
              }
              return new JsonObject().put("Pins", pinned);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  /**
   * {@code pin add --progress}, as Kubo streams it: {@code {"Progress": blocks}} lines (here also
   * {@code "Bytes"} fetched) while the DAGs are fetched, then {@code {"Pins": [...]}}; a failure
   * after the first line is a Kubo error object on its own line.
   */
  private static void addWithProgress(
      RpcCall call, List<String> paths, boolean recursive, String name) {
    call.stream(
        "application/json",
        out -> {
          JsonArray pinned = new JsonArray();
          try {
            FetchingPinner pins = FetchingPinner.of(call.node());
            for (Cid cid : resolve(call, paths)) {
              pins.add(
                  cid,
                  recursive,
                  name,
                  p ->
                      line(
                          out,
                          new JsonObject().put("Progress", p.blocks()).put("Bytes", p.bytes())));
              pinned.add(cid.toString());
            }
          } catch (RuntimeException e) {
            line(
                out,
                new JsonObject()
                    .put("Message", e.getMessage())
                    .put("Code", 0)
                    .put("Type", "error"));
            return;
          }
          line(out, new JsonObject().put("Pins", pinned));
        });
  }

  private static void line(java.io.OutputStream out, JsonObject json) {
    try {
      out.write((json.encode() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
              Map<Cid, Cid> via = new java.util.HashMap<>();
              if (paths.isEmpty()) {
                pins.addAll(call.node().pins().ls(type));
              } else {
                Map<Cid, PinStatus> status = call.node().pins().status(resolve(call, paths));
                for (PinStatus s : status.values()) {
                  if (!s.pinned() || (type.isPresent() && type.get() != s.type().get())) {
                    throw RpcException.failed("path '" + s.cid() + "' is not pinned");
                  }
                  pins.add(new Pin(s.cid(), s.type().get(), ""));
                  s.via().ifPresent(root -> via.put(s.cid(), root));
                }
              }
              StringBuilder out = new StringBuilder();
              JsonObject keys = new JsonObject();
              for (Pin pin : pins) {
                // As Kubo: an indirect pin asked for by CID names the root it hangs under.
                JsonObject entry =
                    new JsonObject()
                        .put(
                            "Type",
                            via.containsKey(pin.cid())
                                ? pin.type() + " through " + via.get(pin.cid())
                                : pin.type().toString());
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
