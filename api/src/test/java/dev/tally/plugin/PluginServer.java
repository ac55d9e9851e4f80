package dev.tally.plugin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A loopback HTTP server serving a plugin host as the daemon's API server does, and a client. */
final class PluginServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  PluginServer(PluginHost host) {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                new PluginHttp(
                    host, r -> r.response().setStatusCode(404).end("not a plugin path\n")))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .join();
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    // The request timeout alone once left a test waiting 37 minutes on a loaded machine (JDK 17's
    // client never fired it), so the wait is bounded here too.
    try {
      return client
          .sendAsync(built, HttpResponse.BodyHandlers.ofString())
          .get(45, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(built.method() + " " + built.uri() + " got no answer in 45 s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new java.io.UncheckedIOException(io);
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code requestLine} as is (a URI would refuse a malformed one); the whole answer. */
  String raw(String requestLine) throws IOException {
    try (java.net.Socket s =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.actualPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              (requestLine + "\r\nHost: plugins\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      try {
        return new String(
            s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError(requestLine + ": no answer within 20 s", e);
      }
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  /** Waits up to 10 s for {@code condition}; fails with {@code what} otherwise. */
  static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
