package dev.tally.rpc;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multibase;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** {@code cid/base32} and {@code cid/format} (the {@code -b} and {@code -v} options). */
final class CidCommands {
  private CidCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("cid/base32", CidCommands::base32);
    commands.put("cid/format", CidCommands::format);
  }

  private static void base32(RpcCall call) {
    call.arg("cid");
    StringBuilder out = new StringBuilder();
    for (String text : call.args()) {
      out.append(line(text, () -> Cid.parse(text).toV1().toString(Multibase.BASE32))).append('\n');
    }
    call.response().putHeader("Content-Type", "application/json").end(out.toString());
  }

  private static void format(RpcCall call) {
    call.arg("cid");
    Multibase base =
        call.option("b")
            .map(
                name ->
                    Multibase.byName(name)
                        .orElseThrow(
                            () -> RpcException.failed("unknown multibase \"" + name + "\"")))
            .orElse(null);
    int version = call.intOption("v", -1);
    if (version != -1 && version != 0 && version != 1) {
      throw RpcException.failed("invalid cid version " + version + ": expected 0 or 1");
    }
    StringBuilder out = new StringBuilder();
    for (String text : call.args()) {
      out.append(
              line(
                  text,
                  () -> {
                    Cid cid = Cid.parse(text);
                    if (version == 0) {
                      cid = cid.toV0();
                    } else if (version == 1) {
                      cid = cid.toV1();
                    }
                    return base == null ? cid.toString() : cid.toString(base);
                  }))
          .append('\n');
    }
    call.response().putHeader("Content-Type", "application/json").end(out.toString());
  }

  /** Kubo's per-CID result: {@code {"CidStr","Formatted","ErrorMsg"}}. */
  private static String line(String text, java.util.function.Supplier<String> convert) {
    JsonObject result = new JsonObject().put("CidStr", text);
    try {
      result.put("Formatted", convert.get()).put("ErrorMsg", "");
    } catch (IllegalArgumentException e) {
      result.put("Formatted", "").put("ErrorMsg", e.getMessage());
    }
    return result.encode();
  }
}
