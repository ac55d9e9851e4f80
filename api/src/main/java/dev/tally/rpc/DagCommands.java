package dev.tally.rpc;

import dev.tally.blockstore.Blockstore;
import dev.tally.car.CarReader;
import dev.tally.car.CarWriter;
import dev.tally.http.MultipartReader;
import dev.tally.http.ResponseSink;
import dev.tally.ipld.Block;
import dev.tally.ipld.Codec;
import dev.tally.ipld.Codecs;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.node.DagPathResolver;
import dev.tally.node.DagTraversal;
import dev.tally.node.IpfsPath;
import dev.tally.storage.gc.BlockLeases;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code dag/get}, {@code dag/put}, {@code dag/export} and {@code dag/import}. */
final class DagCommands {
  /** Blocks committed per batch on import: few commits, bounded memory. */
  private static final int IMPORT_BATCH_BYTES = 4 << 20;

  private DagCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("dag/get", DagCommands::get);
    commands.put("dag/put", DagCommands::put);
    commands.put("dag/export", DagCommands::export);
    commands.put("dag/import", DagCommands::importCar);
    commands.put("dag/stat", DagCommands::stat);
  }

  /**
   * {@code dag/stat}: per root, its block count and total block bytes; then the summary over all
   * roots (blocks shared between roots counted once), as Kubo's final JSON object.
   */
  private static void stat(RpcCall call) {
    call.arg("root");
    List<String> roots = call.args();
    call.blocking(
            () -> {
              dev.tally.unixfs.UnixfsExporter exporter =
                  new dev.tally.unixfs.UnixfsExporter(call.node().blocks());
              List<Cid> cids = new ArrayList<>();
              for (String text : roots) {
                cids.add(FileCommands.resolve(exporter, text));
              }
              return dev.tally.node.DagStat.of(call.node().blocks(), cids);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  private static Codec codec(String option, String name) {
    return Codecs.byName(name)
        .orElseThrow(
            () ->
                RpcException.failed(
                    option
                        + ": unknown codec \""
                        + name
                        + "\" (known: raw, dag-pb, dag-cbor, dag-json)"));
  }

  private static void get(RpcCall call) {
    IpfsPath path = IpfsPath.parse(call.arg("ref"));
    Codec out = codec("output-codec", call.option("output-codec", "dag-json"));
    call.blocking(
            () -> {
              IpldNode node =
                  new DagPathResolver(new DagTraversal(call.node().blocks())).resolve(path);
              return out.encode(node);
            })
        .onSuccess(
            bytes ->
                call.response()
                    .putHeader(
                        "Content-Type",
                        out.code() == Multicodec.DAG_JSON
                            ? "application/json"
                            : "application/octet-stream")
                    .end(Buffer.buffer(bytes)))
        .onFailure(call::fail);
  }

  private static void put(RpcCall call) {
    Codec in = codec("input-codec", call.option("input-codec", "dag-json"));
    Codec store = codec("store-codec", call.option("store-codec", "dag-cbor"));
    String hashName = call.option("hash", "sha2-256");
    long hash =
        Multicodec.byName(hashName)
            .orElseThrow(() -> RpcException.failed("unknown hash \"" + hashName + "\""))
            .code();
    int max =
        call.flag("allow-big-block", false)
            ? call.settings().maxBufferedBody()
            : BlockCommands.MAX_BLOCK_SIZE;
    MultipartReader upload = call.multipart("object data");
    call.blocking(
            () -> {
              List<Block> blocks = new ArrayList<>();
              // Every input is decoded and checked before anything is stored: all or nothing.
              for (byte[] input :
                  Bodies.files(upload, call.settings().maxBufferedBody(), "object data", "")) {
                byte[] bytes = store.encode(in.decode(input));
                if (bytes.length > max) {
                  throw RpcException.failed(
                      "produced block is over 2 MiB: big blocks can't be exchanged with other"
                          + " peers; pass allow-big-block to override");
                }
                blocks.add(Block.ofOwned(Cid.v1(store.code(), Multihash.sum(hash, bytes)), bytes));
              }
              call.node().blocks().putAll(blocks);
              StringBuilder out = new StringBuilder();
              for (Block b : blocks) {
                out.append(
                        new JsonObject()
                            .put("Cid", new JsonObject().put("/", b.cid().toString()))
                            .encode())
                    .append('\n');
              }
              return out.toString();
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }

  private static void export(RpcCall call) {
    Cid root = BlockCommands.cid(call.arg("root"));
    DagTraversal dag = new DagTraversal(call.node().blocks());
    // The root is loaded first so that a missing root is a clean error, not a cut-off stream.
    call.blocking(() -> dag.load(root))
        .compose(
            first -> {
              call.response()
                  .setChunked(true)
                  .putHeader("Content-Type", "application/vnd.ipld.car; version=1")
                  .putHeader("X-Stream-Output", "1");
              ResponseSink sink = call.sink();
              return call.blocking(
                  () -> {
                    CarWriter car = CarWriter.open(sink, List.of(root));
                    dag.walk(root, DagTraversal.Scope.ALL, car::write);
                    car.flush();
                    sink.close();
                    return null;
                  });
            })
        .onSuccess(v -> call.response().end())
        .onFailure(call::fail);
  }

  private static void importCar(RpcCall call) {
    boolean stats = call.flag("stats", false);
    boolean pinRoots = call.flag("pin-roots", true);
    MultipartReader upload = call.multipart("path");
    call.blocking(
            () -> {
              // The lease keeps the imported blocks from a concurrent GC until roots are pinned.
              try (BlockLeases.Lease lease = call.node().leases().open()) {
                return importCar(upload, lease.guard(call.node().blocks()), call, pinRoots, stats);
              }
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }

  private static String importCar(
      MultipartReader upload, Blockstore store, RpcCall call, boolean pinRoots, boolean stats)
      throws java.io.IOException {
    Set<Cid> roots = new LinkedHashSet<>();
    long count = 0;
    long bytes = 0;
    List<Block> batch = new ArrayList<>();
    long batchBytes = 0;
    int files = 0;
    while (upload.next().isPresent()) {
      files++;
      // Each block is verified against its CID by the reader before it is kept.
      CarReader car = CarReader.open(upload.body());
      roots.addAll(car.roots());
      Optional<Block> next;
      while ((next = car.next()).isPresent()) {
        Block b = next.get();
        batch.add(b);
        batchBytes += b.size();
        count++;
        bytes += b.size();
        if (batchBytes >= IMPORT_BATCH_BYTES) {
          store.putAll(List.copyOf(batch));
          batch.clear();
          batchBytes = 0;
        }
      }
    }
    if (files == 0) {
      throw RpcException.badRequest("file argument \"path\" is required");
    }
    if (!batch.isEmpty()) {
      store.putAll(batch);
    }
    StringBuilder out = new StringBuilder();
    if (pinRoots) {
      for (Cid root : roots) {
        // As Kubo: a root this CAR does not complete is reported, not fatal.
        String error = "";
        try {
          call.node().pins().add(root, true, "");
        } catch (RuntimeException e) {
          error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        out.append(
                new JsonObject()
                    .put(
                        "Root",
                        new JsonObject()
                            .put("Cid", new JsonObject().put("/", root.toString()))
                            .put("PinErrorMsg", error))
                    .encode())
            .append('\n');
      }
    }
    if (stats) {
      out.append(
              new JsonObject()
                  .put(
                      "Stats",
                      new JsonObject().put("BlockCount", count).put("BlockBytesCount", bytes))
                  .encode())
          .append('\n');
    }
    return out.toString();
  }
}
