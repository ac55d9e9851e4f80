package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  private static final String BOUNDARY = "mp-test";
  private static final long HIGH_WATER = 256 * 1024;

  private Vertx vertx;
  private HttpServer server;
  private final AtomicLong maxQueued = new AtomicLong();
  private final CompletableFuture<List<String>> parts = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  MultipartReader reader =
                      new MultipartReader(request, vertx.getOrCreateContext(), HIGH_WATER, 10);
                  vertx
                      .executeBlocking(() -> readSlowly(reader), false)
                      .onComplete(
                          ar -> {
                            if (ar.succeeded()) {
                              parts.complete(ar.result());
                            } else {
                              parts.completeExceptionally(ar.cause());
                            }
                            request.response().end();
                          });
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Reads each part with pauses, so the client is always ahead; returns "name:sha256" per part. */
  private List<String> readSlowly(MultipartReader reader) throws Exception {
    List<String> out = new ArrayList<>();
    while (true) {
      var part = reader.next();
      if (part.isEmpty()) {
        return out;
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      InputStream in = reader.body();
      byte[] buf = new byte[32 * 1024];
      int n;
      int reads = 0;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        maxQueued.accumulateAndGet(reader.queuedBytes(), Math::max);
        if (++reads % 4 == 0) {
          Thread.sleep(5);
        }
      }
      out.add(part.get().filename() + ":" + hex(sha.digest()));
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  @Test
  void holdsABoundedAmountOfAnUploadFarLargerThanItsHighWater() throws Exception {
    byte[] big = new byte[24 << 20];
    new SplittableRandom(1).nextBytes(big);
    byte[] small = "a small second part".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Object[] part : new Object[][] {{"dir%2Fbig.bin", big}, {"small.txt", small}}) {
      body.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + part[0]
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes((byte[]) part[1]);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertEquals(200, response.statusCode());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertEquals(
        List.of("dir/big.bin:" + hex(sha.digest(big)), "small.txt:" + hex(sha.digest(small))),
        parts.get(10, TimeUnit.SECONDS));
    // Paused at the high-water mark; what arrives before the pause takes hold is a few reads.
    assertTrue(maxQueued.get() < 4 * HIGH_WATER, "queued up to " + maxQueued.get() + " bytes");
  }
}
