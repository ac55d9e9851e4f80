package dev.tally.rpc;

import dev.tally.http.ResponseSink;
import dev.tally.multiformats.Cid;
import dev.tally.storage.gc.GarbageCollector;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code repo/gc} and {@code repo/verify}, streamed as Kubo's ndjson. */
final class RepoCommands {
  /** The last line of a verify that found corrupt blocks, which the CLI turns into its error. */
  static final String VERIFY_FAILED = "verify complete, some blocks were corrupt";

  static final String VERIFY_OK = "verify complete, all blocks validated.";

  private RepoCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("repo/gc", RepoCommands::gc);
    commands.put("repo/verify", RepoCommands::verify);
  }

  private static void line(ResponseSink out, JsonObject line) {
    try {
      out.write((line.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@code {"Key":{"/":CID}}} per removed block; {@code {"Error":…}} per error. */
  private static void gc(RpcCall call) {
    boolean streamErrors = call.flag("stream-errors", false);
    call.stream(
        "application/json",
        out -> {
          call.node()
              .admin()
              .gc(
                  new GarbageCollector.Listener() {
                    @Override
                    public void removed(Cid cid) {
                      line(
                          out,
                          new JsonObject().put("Key", new JsonObject().put("/", cid.toString())));
                    }

                    @Override
                    public void error(String message) {
                      if (streamErrors) {
                        line(out, new JsonObject().put("Error", message));
                      }
                    }
                  });
        });
  }

  /** {@code {"Msg":"block X was corrupt (why)"}} per bad block, then the verdict. */
  private static void verify(RpcCall call) {
    call.stream(
        "application/json",
        out -> {
          AtomicLong bad = new AtomicLong();
          call.node()
              .admin()
              .verify(
                  (cid, why) -> {
                    long n = bad.incrementAndGet();
                    line(
                        out,
                        new JsonObject()
                            .put("Msg", "block " + cid + " was corrupt (" + why + ")")
                            .put("Progress", n));
                  });
          line(
              out,
              new JsonObject()
                  .put("Msg", bad.get() == 0 ? VERIFY_OK : VERIFY_FAILED)
                  .put("Progress", 0));
        });
  }
}
