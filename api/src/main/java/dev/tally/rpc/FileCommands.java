package dev.tally.rpc;

import dev.tally.http.ResponseSink;
import dev.tally.multiformats.Cid;
import dev.tally.node.IpfsPath;
import dev.tally.unixfs.EntryType;
import dev.tally.unixfs.UnixfsEntry;
import dev.tally.unixfs.UnixfsExporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code cat} (with {@code offset} and {@code length}, streamed) and {@code ls}. */
final class FileCommands {
  private FileCommands() {}

  static void register(Map<String, RpcCommand> commands) {
    commands.put("cat", FileCommands::cat);
    commands.put("ls", FileCommands::ls);
    commands.put("get", FileCommands::get);
  }

  /**
   * {@code get}: the file or tree as a tar stream (gzipped with {@code compress}), its top entry
   * named by the path's last segment, as Kubo answers. The path is resolved before anything is
   * sent, so a bad path is a clean error.
   */
  private static void get(RpcCall call) {
    String text = call.arg("ipfs-path");
    boolean compress = call.flag("compress", false);
    int level = call.intOption("compression-level", -1);
    if (level < -1 || level > 9) {
      throw RpcException.badRequest("compression-level must be -1 (default) or 0..9, got " + level);
    }
    UnixfsExporter exporter = new UnixfsExporter(call.node().blocks());
    IpfsPath path = IpfsPath.parse(text);
    String name =
        path.segments().isEmpty()
            ? path.root().toString()
            : path.segments().get(path.segments().size() - 1);
    call.blocking(() -> exporter.stat(resolve(exporter, text)))
        .onSuccess(
            entry -> {
              Cid cid = entry.cid();
              if (entry.type() == EntryType.FILE) {
                // The content's size, for the client's progress bar (as Kubo sends it).
                call.response().putHeader("X-Content-Length", Long.toString(entry.size()));
              }
              call.stream(
                  compress ? "application/gzip" : "application/x-tar",
                  out -> {
                    if (compress) {
                      java.util.zip.GZIPOutputStream gz =
                          new java.util.zip.GZIPOutputStream(out, 1 << 16) {
                            {
                              def.setLevel(level);
                            }
                          };
                      new TarExport(exporter).write(cid, name, gz);
                      gz.finish();
                    } else {
                      new TarExport(exporter).write(cid, name, out);
                    }
                  });
            })
        .onFailure(call::fail);
  }

  /** Resolves a user's path to the CID it names (blocking). */
  static Cid resolve(UnixfsExporter exporter, String text) {
    IpfsPath path = IpfsPath.parse(text);
    return exporter.resolve(path.root(), path.rest());
  }

  private static void cat(RpcCall call) {
    call.arg("ipfs-path");
    List<String> paths = call.args();
    long offset = call.longOption("offset", 0);
    long length = call.longOption("length", -1);
    if (offset < 0) {
      throw RpcException.failed("cannot specify negative offset");
    }
    if (call.option("length").isPresent() && length < 0) {
      throw RpcException.failed("cannot specify negative length");
    }
    long limit = length < 0 ? Long.MAX_VALUE : length;
    UnixfsExporter exporter = new UnixfsExporter(call.node().blocks());
    call.blocking(
            () -> {
              List<UnixfsEntry> files = new ArrayList<>(paths.size());
              for (String p : paths) {
                UnixfsEntry entry = exporter.stat(resolve(exporter, p));
                if (entry.type() != EntryType.FILE) {
                  throw RpcException.failed("this dag node is a directory: " + p);
                }
                files.add(entry);
              }
              return files;
            })
        .compose(
            files -> {
              long total = files.stream().mapToLong(UnixfsEntry::size).sum();
              long available = Math.max(0, Math.min(limit, total - Math.min(offset, total)));
              call.response()
                  .setChunked(true)
                  .putHeader("Content-Type", "text/plain")
                  .putHeader("X-Stream-Output", "1")
                  .putHeader("X-Content-Length", Long.toString(available));
              ResponseSink sink = call.sink();
              return call.blocking(() -> catAll(exporter, files, offset, limit, sink));
            })
        .onSuccess(v -> call.response().end())
        .onFailure(call::fail);
  }

  /** Writes {@code limit} bytes from {@code offset} of the files' concatenation, as Kubo does. */
  private static Void catAll(
      UnixfsExporter exporter, List<UnixfsEntry> files, long offset, long limit, ResponseSink out)
      throws java.io.IOException {
    long skip = offset;
    long left = limit;
    for (UnixfsEntry file : files) {
      if (left == 0) {
        break;
      }
      if (skip >= file.size()) {
        skip -= file.size();
        continue;
      }
      long n = Math.min(left, file.size() - skip);
      exporter.cat(file.cid(), skip, n, out);
      left -= n;
      skip = 0;
    }
    out.close();
    return null;
  }

  private static void ls(RpcCall call) {
    call.arg("ipfs-path");
    List<String> paths = call.args();
    UnixfsExporter exporter = new UnixfsExporter(call.node().blocks());
    call.blocking(
            () -> {
              JsonArray objects = new JsonArray();
              for (String p : paths) {
                Cid cid = resolve(exporter, p);
                JsonArray links = new JsonArray();
                if (exporter.stat(cid).type() == EntryType.DIRECTORY) {
                  for (UnixfsEntry e : exporter.ls(cid)) {
                    links.add(
                        new JsonObject()
                            .put("Name", e.name())
                            .put("Hash", e.cid().toString())
                            .put("Size", e.type() == EntryType.DIRECTORY ? 0 : e.size())
                            .put("Type", type(e.type()))
                            .put("Target", ""));
                  }
                }
                objects.add(new JsonObject().put("Hash", p).put("Links", links));
              }
              return new JsonObject().put("Objects", objects);
            })
        .onSuccess(call::json)
        .onFailure(call::fail);
  }

  /** The UnixFS data type numbers Kubo's {@code ls} reports. */
  private static int type(EntryType type) {
    return switch (type) {
      case DIRECTORY -> 1;
      case FILE -> 2;
      case SYMLINK -> 4;
    };
  }
}
