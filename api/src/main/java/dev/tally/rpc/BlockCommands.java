package dev.tally.rpc;

import dev.tally.http.MultipartReader;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.node.DagTraversal;
import dev.tally.storage.pin.PinStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code block/get}, {@code block/put}, {@code block/stat} and {@code block/rm}. */
final class BlockCommands {
  /** Largest block other peers exchange (Bitswap's limit). */
  static final int MAX_BLOCK_SIZE = 2 << 20;

  private BlockCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("block/get", BlockCommands::get);
    commands.put("block/put", BlockCommands::put);
    commands.put("block/stat", BlockCommands::stat);
    commands.put("block/rm", BlockCommands::rm);
  }

  static Cid cid(String text) {
    try {
      return Cid.parse(text.startsWith("/ipfs/") ? text.substring(6) : text);
    } catch (MultiformatException e) {
      throw RpcException.failed("invalid CID \"" + text + "\": " + e.getMessage());
    }
  }

  private static void get(RpcCall call) {
    Cid cid = cid(call.arg("cid"));
    call.blocking(() -> new DagTraversal(call.node().blocks()).load(cid))
        .onSuccess(
            block ->
                call.response()
                    .putHeader("Content-Type", "application/octet-stream")
                    .end(Buffer.buffer(block.bytes())))
        .onFailure(call::fail);
  }

  private static void stat(RpcCall call) {
    Cid cid = cid(call.arg("cid"));
    call.blocking(() -> new DagTraversal(call.node().blocks()).load(cid))
        .onSuccess(
            block ->
                call.json(new JsonObject().put("Key", cid.toString()).put("Size", block.size())))
        .onFailure(call::fail);
  }

  private static void put(RpcCall call) {
    String format = call.option("format", "").toLowerCase(Locale.ROOT);
    String codecName = call.option("cid-codec", codecOfFormat(format));
    long codec =
        Multicodec.byName(codecName)
            .orElseThrow(() -> RpcException.failed("unknown cid-codec \"" + codecName + "\""))
            .code();
    String hashName = call.option("mhtype", "sha2-256");
    long hash =
        Multicodec.byName(hashName)
            .orElseThrow(() -> RpcException.failed("unknown mhtype \"" + hashName + "\""))
            .code();
    // The legacy --format values (v0, protobuf, dag-pb) asked for CIDv0 when it can express it.
    boolean v0 =
        (format.equals("v0") || format.equals("protobuf") || format.equals("dag-pb"))
                && codec == Multicodec.DAG_PB
                && hash == Multicodec.SHA2_256
            || call.intOption("version", 1) == 0;
    int max =
        call.flag("allow-big-block", false) ? call.settings().maxBufferedBody() : MAX_BLOCK_SIZE;
    MultipartReader upload = call.multipart("data");
    call.blocking(
            () -> {
              List<Block> blocks = new ArrayList<>();
              for (byte[] data :
                  Bodies.files(
                      upload,
                      max,
                      "data",
                      "big blocks can't be exchanged with other peers; pass allow-big-block")) {
                Multihash mh = Multihash.sum(hash, data);
                Cid cid = v0 ? Cid.v0(mh) : Cid.v1(codec, mh);
                blocks.add(Block.ofOwned(cid, data));
              }
              call.node().blocks().putAll(blocks);
              StringBuilder out = new StringBuilder();
              for (Block b : blocks) {
                out.append(
                        new JsonObject()
                            .put("Key", b.cid().toString())
                            .put("Size", b.size())
                            .encode())
                    .append('\n');
              }
              return out.toString();
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }

  private static String codecOfFormat(String format) {
    return switch (format) {
      case "v0", "protobuf", "dag-pb" -> "dag-pb";
      case "cbor", "dag-cbor" -> "dag-cbor";
      case "", "raw", "v1" -> "raw";
      default -> format;
    };
  }

  private static void rm(RpcCall call) {
    call.arg("cid");
    List<Cid> cids = call.args().stream().map(BlockCommands::cid).toList();
    boolean force = call.flag("force", false);
    boolean quiet = call.flag("quiet", false);
    call.blocking(
            () -> {
              StringBuilder out = new StringBuilder();
              Map<Cid, PinStatus> pins = call.node().pins().status(cids);
              for (Cid cid : cids) {
                JsonObject line = new JsonObject().put("Hash", cid.toString());
                PinStatus pin = pins.get(cid);
                if (pin.pinned()) {
                  // Kubo's refusal names the pin type or the root the block hangs under.
                  line.put("Error", pin.toString());
                } else if (!call.node().blocks().delete(cid) && !force) {
                  line.put("Error", "ipld: could not find " + cid);
                } else if (quiet) {
                  continue;
                }
                out.append(line.encode()).append('\n');
              }
              return out.toString();
            })
        .onSuccess(body -> call.response().putHeader("Content-Type", "application/json").end(body))
        .onFailure(call::fail);
  }
}
