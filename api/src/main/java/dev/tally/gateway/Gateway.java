package dev.tally.gateway;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.Blockstore;
import dev.tally.car.CarWriter;
import dev.tally.http.FileRegionSink;
import dev.tally.http.ResponseSink;
import dev.tally.ipld.Block;
import dev.tally.node.BlockNotFoundException;
import dev.tally.node.DagTraversal;
import dev.tally.node.IpfsPath;
import dev.tally.unixfs.EntryType;
import dev.tally.unixfs.UnixfsEntry;
import dev.tally.unixfs.UnixfsException;
import dev.tally.unixfs.UnixfsExporter;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET}/{@code HEAD /ipfs/CID[/path]}: raw blocks and CAR streams for trustless
 * clients ({@code ?format=raw|car} or the matching {@code Accept}), and UnixFS files (with content
 * type sniffing and single {@code Range}s) and directories (index.html or a listing) for browsers.
 * Content is read on worker threads and streamed with back-pressure. Offline: content this node
 * does not hold is a 404.
 */
public final class Gateway implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  static final String RAW = "application/vnd.ipld.raw";
  static final String CAR = "application/vnd.ipld.car";
  private static final String IMMUTABLE = "public, max-age=29030400, immutable";

  /**
   * System property that, set to {@code false}, makes the daemon's gateway copy every file byte
   * through the heap as before ADR 044 (to compare both paths, or where sendfile misbehaves).
   */
  public static final String SENDFILE_PROPERTY = "tally.gateway.sendfile";

  private final Blockstore blocks;
  private final WorkerExecutor workers;
  private final Optional<Supplier<BlockFiles>> files;
  private final LongAdder bytesFromFiles = new LongAdder();

  public Gateway(Blockstore blocks, WorkerExecutor workers) {
    this(blocks, workers, Optional.empty());
  }

  private Gateway(Blockstore blocks, WorkerExecutor workers, Optional<Supplier<BlockFiles>> files) {
    this.blocks = blocks;
    this.workers = workers;
    this.files = files;
  }

  /**
   * This gateway, serving the leaves of file responses that {@code files} holds as file regions
   * ({@code sendfile}, ADR 044) instead of copying them through the heap; everything else (other
   * stores, blocks fetched from peers, identity CIDs, raw and CAR responses) as before. Each file
   * response opens one {@link BlockFiles} and closes it once its last region left.
   */
  public Gateway withFiles(Supplier<BlockFiles> files) {
    return new Gateway(blocks, workers, Optional.of(files));
  }

  /** Whether {@value #SENDFILE_PROPERTY} leaves file regions on (the default). */
  public static boolean sendsFiles() {
    return !"false".equalsIgnoreCase(System.getProperty(SENDFILE_PROPERTY, "true"));
  }

  /** File response bytes sent as file regions since start. */
  public long bytesFromFiles() {
    return bytesFromFiles.sum();
  }

  private enum Format {
    RAW,
    CAR,
    UNIXFS
  }

  @Override
  public void handle(HttpServerRequest request) {
    try {
      if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
        request.response().putHeader("Allow", "GET, HEAD");
        throw new GatewayException(405, "method " + request.method() + " not allowed");
      }
      String raw = request.path();
      if (raw.length() > IpfsPath.MAX_LENGTH) {
        throw new GatewayException(
            400, "path is longer than the " + IpfsPath.MAX_LENGTH + " characters allowed");
      }
      if (raw.startsWith("/ipns/")) {
        throw new GatewayException(501, "IPNS is not supported by this gateway yet");
      }
      if (!raw.startsWith("/ipfs/")) {
        throw new GatewayException(404, "not found: paths start with /ipfs/CID");
      }
      try {
        // Decoded here once: a malformed query (a '%' without two hex digits) would otherwise
        // throw from the first getParam, outside any answer, and leave the client waiting.
        request.params();
      } catch (IllegalArgumentException e) {
        throw new GatewayException(400, "malformed query string: " + e.getMessage());
      }
      IpfsPath path;
      try {
        path = IpfsPath.parse(PathText.decode(raw));
      } catch (IllegalArgumentException e) {
        throw new GatewayException(400, e.getMessage());
      }
      Context context = Vertx.currentContext();
      switch (format(request)) {
        case RAW -> raw(request, path);
        case CAR -> car(request, context, path);
        default -> unixfs(request, context, path, raw.endsWith("/"));
      }
    } catch (GatewayException e) {
      error(request.response(), e);
    }
  }

  /** {@code ?format=} wins over {@code Accept}, as the spec says. */
  private static Format format(HttpServerRequest request) {
    String format = request.getParam("format");
    if (format != null) {
      return switch (format) {
        case "raw" -> Format.RAW;
        case "car" -> Format.CAR;
        default ->
            throw new GatewayException(
                400, "unsupported format \"" + format + "\" (supported: raw, car)");
      };
    }
    String accept = request.getHeader("Accept");
    if (accept != null) {
      for (String item : accept.split(",")) {
        String type = item.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals(RAW)) {
          return Format.RAW;
        }
        if (type.equals(CAR)) {
          if (item.replace(" ", "").contains("version=2")) {
            throw new GatewayException(400, "only CAR version 1 is served");
          }
          return Format.CAR;
        }
      }
    }
    return Format.UNIXFS;
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }

  private static void common(HttpServerResponse response, Resolution r, IpfsPath path) {
    response
        .putHeader("X-Ipfs-Path", PathText.headerSafe(path.toString()))
        .putHeader("X-Ipfs-Roots", r.rootsHeader())
        .putHeader("Cache-Control", IMMUTABLE)
        .putHeader("Vary", "Accept");
  }

  private static boolean notModified(HttpServerRequest request, String etag) {
    String match = request.getHeader("If-None-Match");
    if (match != null && (match.equals(etag) || match.equals("W/" + etag))) {
      request.response().setStatusCode(304).putHeader("Etag", etag).end();
      return true;
    }
    return false;
  }

  private record Resolved(Resolution resolution, Block block) {}

  private void raw(HttpServerRequest request, IpfsPath path) {
    blocking(
            () -> {
              Resolution r = Resolution.of(blocks, path);
              return new Resolved(r, new DagTraversal(blocks).load(r.terminal()));
            })
        .onSuccess(
            answering(
                request,
                resolved -> {
                  Resolution r = resolved.resolution();
                  Block block = resolved.block();
                  String etag = "\"" + r.terminal() + ".raw\"";
                  if (notModified(request, etag)) {
                    return;
                  }
                  HttpServerResponse response = request.response();
                  common(response, r, path);
                  response
                      .putHeader("Content-Type", RAW)
                      .putHeader(
                          "Content-Disposition",
                          "attachment; filename=\"" + r.terminal() + ".bin\"")
                      .putHeader("X-Content-Type-Options", "nosniff")
                      .putHeader("Etag", etag)
                      .putHeader("Content-Length", Integer.toString(block.size()));
                  if (request.method() == HttpMethod.HEAD) {
                    response.end();
                  } else {
                    response.end(Buffer.buffer(block.bytes()));
                  }
                }))
        .onFailure(e -> fail(request, e));
  }

  /** What a CAR response carries after the path's blocks. */
  private record CarPlan(
      Resolution resolution, DagTraversal.Scope scope, Optional<ByteRange> range) {}

  private void car(HttpServerRequest request, Context context, IpfsPath path) {
    String entityBytes = request.getParam("entity-bytes");
    // entity-bytes implies dag-scope=entity, as the spec says.
    DagTraversal.Scope scope =
        entityBytes != null ? DagTraversal.Scope.ENTITY : scope(request.getParam("dag-scope"));
    String carVersion = request.getParam("car-version");
    if (carVersion != null && !carVersion.equals("1")) {
      throw new GatewayException(400, "only CAR version 1 is served");
    }
    DagTraversal dag = new DagTraversal(blocks);
    blocking(
            () -> {
              Resolution r = Resolution.of(blocks, path);
              // A missing terminal block is a 404, not a cut-off stream.
              Block terminal = dag.load(r.terminal());
              Optional<ByteRange> range = Optional.empty();
              if (entityBytes != null) {
                java.util.OptionalLong size = dag.fileSize(terminal);
                if (size.isPresent()) {
                  range = Optional.of(EntityBytes.resolve(entityBytes, size.getAsLong()));
                }
              }
              return new CarPlan(r, scope, range);
            })
        .onSuccess(
            answering(
                request,
                plan -> {
                  Resolution r = plan.resolution();
                  String etag =
                      "W/\""
                          + r.terminal()
                          + ".car."
                          + scope.name().toLowerCase(Locale.ROOT)
                          + (entityBytes == null ? "" : "." + entityBytes)
                          + "\"";
                  if (notModified(request, etag)) {
                    return;
                  }
                  HttpServerResponse response = request.response();
                  common(response, r, path);
                  response
                      .putHeader("Content-Type", CAR + "; version=1; order=dfs; dups=n")
                      .putHeader(
                          "Content-Disposition",
                          "attachment; filename=\"" + r.terminal() + ".car\"")
                      .putHeader("X-Content-Type-Options", "nosniff")
                      .putHeader("Etag", etag);
                  if (request.method() == HttpMethod.HEAD) {
                    response.end();
                    return;
                  }
                  response.setChunked(true);
                  ResponseSink sink = new ResponseSink(context, response);
                  blocking(
                          () -> {
                            CarWriter car = CarWriter.open(sink, List.of(path.root()));
                            for (Block b : r.traversed()) {
                              dag.visitOnce(b, car::write);
                            }
                            if (plan.range().isPresent()) {
                              ByteRange range = plan.range().get();
                              if (range.end() < range.start()) {
                                dag.walk(r.terminal(), DagTraversal.Scope.BLOCK, car::write);
                              } else {
                                dag.walkRange(r.terminal(), range.start(), range.end(), car::write);
                              }
                            } else {
                              dag.walk(r.terminal(), plan.scope(), car::write);
                            }
                            car.flush();
                            sink.close();
                            return null;
                          })
                      .onSuccess(v -> response.end())
                      .onFailure(e -> abort(request, e));
                }))
        .onFailure(e -> fail(request, e));
  }

  private static DagTraversal.Scope scope(String param) {
    if (param == null) {
      return DagTraversal.Scope.ALL;
    }
    return switch (param) {
      case "all" -> DagTraversal.Scope.ALL;
      case "entity" -> DagTraversal.Scope.ENTITY;
      case "block" -> DagTraversal.Scope.BLOCK;
      default ->
          throw new GatewayException(
              400, "invalid dag-scope \"" + param + "\" (expected block, entity or all)");
    };
  }

  /** What a UnixFS path turned out to be, decided on a worker before any header is written. */
  private sealed interface Target {}

  private record FileTarget(
      Resolution resolution, UnixfsEntry file, String contentType, Optional<ByteRange> range)
      implements Target {}

  private record ListingTarget(Resolution resolution, String html) implements Target {}

  private record Redirect(String location) implements Target {}

  private void unixfs(
      HttpServerRequest request, Context context, IpfsPath path, boolean trailingSlash) {
    String rangeHeader = request.getHeader("Range");
    String query = request.query();
    blocking(() -> target(path, trailingSlash, rangeHeader, request.path(), query))
        .onSuccess(answering(request, target -> serve(request, context, path, target)))
        .onFailure(e -> fail(request, e));
  }

  private Target target(
      IpfsPath path, boolean trailingSlash, String rangeHeader, String rawPath, String query)
      throws java.io.IOException {
    Resolution r = Resolution.of(blocks, path);
    UnixfsExporter exporter = new UnixfsExporter(blocks);
    UnixfsEntry entry = stat(exporter, r);
    String name = path.segments().isEmpty() ? "" : path.segments().get(path.segments().size() - 1);
    if (entry.type() == EntryType.DIRECTORY) {
      if (!trailingSlash) {
        return new Redirect(rawPath + "/" + (query == null ? "" : "?" + query));
      }
      Optional<UnixfsEntry> index =
          exporter.ls(r.terminal()).stream()
              .filter(e -> e.name().equals("index.html") && e.type() == EntryType.FILE)
              .findFirst();
      if (index.isPresent()) {
        entry = index.get();
        name = "index.html";
      } else {
        return new ListingTarget(r, DirectoryListing.html(path, exporter.ls(r.terminal())));
      }
    }
    if (entry.type() != EntryType.FILE) {
      throw new GatewayException(
          501, path + " is a symlink; this gateway serves files and directories");
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream(ContentTypes.SNIFF_BYTES);
    exporter.cat(entry.cid(), 0, ContentTypes.SNIFF_BYTES, head);
    String type = ContentTypes.of(name, head.toByteArray());
    return new FileTarget(r, entry, type, ByteRange.parse(rangeHeader, entry.size()));
  }

  private UnixfsEntry stat(UnixfsExporter exporter, Resolution r) {
    // get, not has: an online node fetches a block only peers hold.
    if (!r.terminal().multihash().isIdentity() && blocks.get(r.terminal()).isEmpty()) {
      throw new GatewayException(404, "block was not found locally (offline): " + r.terminal());
    }
    try {
      return exporter.stat(r.terminal());
    } catch (UnixfsException e) {
      throw new GatewayException(
          501, e.getMessage() + "; ask for ?format=raw or ?format=car to get the data itself");
    }
  }

  private void serve(HttpServerRequest request, Context context, IpfsPath path, Target target) {
    HttpServerResponse response = request.response();
    boolean head = request.method() == HttpMethod.HEAD;
    if (target instanceof Redirect redirect) {
      response.setStatusCode(301).putHeader("Location", redirect.location()).end();
    } else if (target instanceof ListingTarget listing) {
      String etag = "\"DirIndex-" + listing.resolution().terminal() + "\"";
      if (notModified(request, etag)) {
        return;
      }
      common(response, listing.resolution(), path);
      Buffer body = Buffer.buffer(listing.html());
      response
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Etag", etag)
          .putHeader("Content-Length", Integer.toString(body.length()));
      if (head) {
        response.end();
      } else {
        response.end(body);
      }
    } else if (target instanceof FileTarget file) {
      String etag = "\"" + file.file().cid() + "\"";
      if (notModified(request, etag)) {
        return;
      }
      common(response, file.resolution(), path);
      long size = file.file().size();
      long start = 0;
      long length = size;
      if (file.range().isPresent()) {
        ByteRange range = file.range().get();
        start = range.start();
        length = range.length();
        response.setStatusCode(206).putHeader("Content-Range", range.contentRange(size));
      }
      response
          .putHeader("Content-Type", file.contentType())
          .putHeader("Accept-Ranges", "bytes")
          .putHeader("Etag", etag)
          .putHeader("Content-Length", Long.toString(length));
      if (head || length == 0) {
        response.end();
        return;
      }
      long from = start;
      long count = length;
      UnixfsExporter exporter = new UnixfsExporter(blocks);
      Optional<FileRegionSink> regions =
          files.flatMap(f -> FileRegionSink.of(request, context, FileRegionSink.WINDOW));
      if (regions.isPresent()) {
        FileRegionSink sink = regions.get();
        blocking(
                () -> {
                  BlockFiles opened = files.get().get();
                  try {
                    exporter.catPieces(file.file().cid(), from, count, opened, sink);
                    sink.close();
                  } finally {
                    // The regions read the packs until the socket took them (or the connection
                    // failed them): the descriptors close after the last one, not when the walk
                    // ends.
                    sink.whenIdle(opened::close);
                    bytesFromFiles.add(sink.bytesFromFiles());
                  }
                  return null;
                })
            .onSuccess(v -> response.end())
            .onFailure(e -> abort(request, e));
        return;
      }
      ResponseSink sink = new ResponseSink(context, response);
      blocking(
              () -> {
                exporter.catOwned(file.file().cid(), from, count, sink::writeOwned);
                sink.close();
                return null;
              })
          .onSuccess(v -> response.end())
          .onFailure(e -> abort(request, e));
    }
  }

  /**
   * {@code then}, answering {@code request} with {@link #fail} if it throws: an exception thrown
   * from a future's handler reaches no one, and the client would wait for the idle timeout.
   */
  private static <T> Handler<T> answering(HttpServerRequest request, Handler<T> then) {
    return value -> {
      try {
        then.handle(value);
      } catch (RuntimeException e) {
        fail(request, e);
      }
    };
  }

  private static void fail(HttpServerRequest request, Throwable e) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      abort(request, e);
      return;
    }
    if (e instanceof GatewayException g) {
      error(response, g);
    } else if (e instanceof BlockNotFoundException missing) {
      error(response, new GatewayException(404, missing.getMessage()));
    } else if (e instanceof UnixfsException bad) {
      // The DAG, not this node, is at fault (a node that is not UnixFS, or sizes that disagree
      // with its children, ADR 040): one line naming the CID, no stack trace. 500 and the words
      // are boxo's (Kubo's gateway) for a DAG it cannot read.
      LOG.warn(
          "{} {}: the DAG cannot be served: {}",
          request.method(),
          request.path(),
          bad.getMessage());
      error(
          response,
          new GatewayException(
              500, "failed to resolve " + request.path() + ": " + bad.getMessage()));
    } else {
      LOG.warn("{} {} failed", request.method(), request.path(), e);
      error(response, new GatewayException(500, "internal error: " + e.getMessage()));
    }
  }

  /**
   * A body had begun: its status and headers (Content-Length, Etag, immutable caching) are decided
   * and some of its bytes may be queued but not yet written, so an error answer now would go out
   * under the file's headers. Cut the connection instead, before or after the head left: the client
   * sees an incomplete response, as for a missing block mid-stream.
   */
  private static void abort(HttpServerRequest request, Throwable e) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (e instanceof UnixfsException bad) {
      LOG.warn(
          "{} {} aborted mid-body, the DAG cannot be served: {}",
          request.method(),
          request.path(),
          bad.getMessage());
    } else {
      LOG.info("{} {} failed mid-stream: {}", request.method(), request.path(), e.getMessage());
    }
    response.reset();
  }

  /**
   * Answers a request the HTTP decoder could not read. A request line beyond the server's URI limit
   * is a path longer than the gateway takes: 400 naming the limit, as for any path it refuses
   * (Netty would answer 414); headers too large get 431, anything else 400. The connection is
   * closed after the answer: the rest of the request cannot be framed.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    GatewayException e;
    if (cause instanceof TooLongHttpLineException) {
      e =
          new GatewayException(
              400,
              "the request line is too long: paths are limited to "
                  + IpfsPath.MAX_LENGTH
                  + " characters");
    } else if (cause instanceof TooLongHttpHeaderException) {
      e = new GatewayException(431, "the request headers are too large");
    } else {
      e =
          new GatewayException(
              400,
              "malformed HTTP request"
                  + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
    request.response().putHeader("Connection", "close");
    error(request.response(), e);
  }

  private static void error(HttpServerResponse response, GatewayException e) {
    response
        .setStatusCode(e.status())
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(e.getMessage() + "\n");
  }
}
