package dev.tally.rpc;

import dev.tally.http.MultipartReader;
import dev.tally.http.ResponseSink;
import dev.tally.node.Node;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPC request in progress: its arguments and options, the node, a worker pool for blocking
 * work, and the ways to answer. Created and answered on the request's event loop.
 */
final class RpcCall {
  private static final Logger LOG = LoggerFactory.getLogger(RpcCall.class);

  private final HttpServerRequest request;
  private final Context context;
  private final Node node;
  private final WorkerExecutor workers;
  private final RpcSettings settings;
  private Optional<MultipartReader> upload = Optional.empty();

  RpcCall(
      HttpServerRequest request,
      Context context,
      Node node,
      WorkerExecutor workers,
      RpcSettings settings) {
    this.request = request;
    this.context = context;
    this.node = node;
    this.workers = workers;
    this.settings = settings;
  }

  Node node() {
    return node;
  }

  Context context() {
    return context;
  }

  HttpServerResponse response() {
    return request.response();
  }

  RpcSettings settings() {
    return settings;
  }

  /** All values of the positional argument {@code arg}, in order. */
  List<String> args() {
    return request.params().getAll("arg");
  }

  /** The first {@code arg}, required; {@code name} is how Kubo's help names it. */
  String arg(String name) {
    List<String> args = args();
    if (args.isEmpty() || args.get(0).isEmpty()) {
      throw RpcException.badRequest("argument \"" + name + "\" is required");
    }
    return args.get(0);
  }

  /** Every query parameter in order, {@code arg} included. */
  List<java.util.Map.Entry<String, String>> params() {
    return List.copyOf(request.params().entries());
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(request.params().get(name));
  }

  /** Every value of a repeatable option, in order (empty when absent). */
  List<String> options(String name) {
    return request.params().getAll(name);
  }

  String option(String name, String fallback) {
    return option(name).orElse(fallback);
  }

  /** A boolean option: absent is {@code fallback}; present with no value means true, as Kubo. */
  boolean flag(String name, boolean fallback) {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return fallback;
    }
    return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default ->
          throw RpcException.badRequest(
              "option \"" + name + "\": expected a boolean, got \"" + value.get() + "\"");
    };
  }

  long longOption(String name, long fallback) {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw RpcException.badRequest(
          "option \"" + name + "\": expected an integer, got \"" + value.get() + "\"");
    }
  }

  int intOption(String name, int fallback) {
    long v = longOption(name, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw RpcException.badRequest("option \"" + name + "\": " + v + " is out of range");
    }
    return (int) v;
  }

  /** Runs blocking work on the worker pool; completes on this call's event loop. */
  <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }

  /** Whether the request carries a multipart body (an optional file argument was sent). */
  boolean hasMultipart() {
    String type = request.getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
  }

  /**
   * Reads the multipart body on a worker thread, with back-pressure (create before reading). A
   * request without a multipart body is missing its file argument {@code name}.
   */
  MultipartReader multipart(String name) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
      throw RpcException.badRequest("file argument \"" + name + "\" is required");
    }
    MultipartReader reader =
        new MultipartReader(
            request, context, settings.uploadBudget(), settings.uploadStallSeconds());
    upload = Optional.of(reader);
    return reader;
  }

  /** A worker-side stream into the response (headers must be set first). */
  ResponseSink sink() {
    return new ResponseSink(context, request.response());
  }

  /** Work that writes a streamed answer on a worker thread. */
  @FunctionalInterface
  interface StreamWork {
    void write(ResponseSink out) throws Exception;
  }

  /**
   * Streams an answer written by {@code work} on a worker thread (headers go out first, so a later
   * failure can only cut the stream).
   */
  void stream(String contentType, StreamWork work) {
    request
        .response()
        .setChunked(true)
        .putHeader("Content-Type", contentType)
        .putHeader("X-Stream-Output", "1");
    ResponseSink sink = sink();
    blocking(
            () -> {
              work.write(sink);
              sink.close();
              return null;
            })
        .onSuccess(v -> request.response().end())
        .onFailure(this::fail);
  }

  void json(JsonObject body) {
    request.response().putHeader("Content-Type", "application/json").end(body.encode() + "\n");
  }

  /** Reports {@code error} the way Kubo does; a response already under way is cut off instead. */
  void fail(Throwable error) {
    boolean unread = !request.isEnded();
    // What the upload still holds goes back to the server's upload budget, answered or not.
    upload.ifPresent(MultipartReader::abandon);
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (unread) {
      // The body was not read to its end: the rest flows to nowhere; don't reuse the connection.
      response.putHeader("Connection", "close");
    }
    int status = 500;
    int code = 0;
    String message = describe(error);
    if (error instanceof RpcException rpc) {
      status = rpc.status();
      code = rpc.code();
    } else if (unexpected(error)) {
      LOG.warn("{} {} failed", request.method(), request.path(), error);
    }
    if (response.headWritten()) {
      // Output was already streamed: a truncated body is the only honest signal left.
      LOG.info("{} {} failed mid-stream: {}", request.method(), request.path(), message);
      response.reset();
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject().put("Message", message).put("Code", code).put("Type", "error").encode()
                + "\n");
  }

  /** A bug rather than bad input or a failed operation: worth a stack trace in the log. */
  private static boolean unexpected(Throwable error) {
    return !(error instanceof IllegalArgumentException
        || error instanceof IllegalStateException
        || error instanceof java.io.IOException
        || error instanceof java.io.UncheckedIOException
        || error.getClass().getName().startsWith("dev.tally."));
  }

  private static String describe(Throwable error) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.io.UncheckedIOException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
