package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Uploads share their server's {@link UploadBudget}: many uploads whose readers consume slowly hold
 * the budget between them, not a read-ahead each, and every one of them still arrives whole; an
 * upload alone still gets its whole read-ahead.
 */
class UploadBudgetTest {
  private static final String BOUNDARY = "budget-test";
  private static final long READ_AHEAD = 4 << 20;
  private static final long BUDGET = 8 << 20;
  private static final int UPLOADS = 16;

  /**
   * What an upload may receive after the budget is spent and before its pause takes hold: the piece
   * that crossed its limit (Vert.x's default HTTP pieces are at most 8 KiB), with room for a few.
   */
  private static final long LAST_PIECES = 64 << 10;

  private Vertx vertx;
  private UploadBudget budget;

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A server whose uploads share {@code budget}; it answers the SHA-256 of each upload's part. */
  private int serve() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  MultipartReader reader =
                      new MultipartReader(request, vertx.getOrCreateContext(), budget, 30);
                  vertx
                      .executeBlocking(() -> readSlowly(reader), false)
                      .onComplete(
                          ar ->
                              request
                                  .response()
                                  .setStatusCode(ar.succeeded() ? 200 : 500)
                                  .end(ar.succeeded() ? ar.result() : ar.cause().toString()));
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  /** Reads the one part with pauses, so the client is always ahead; answers its SHA-256. */
  private static String readSlowly(MultipartReader reader) throws Exception {
    reader.next().orElseThrow();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    InputStream in = reader.body();
    byte[] buf = new byte[64 << 10];
    int n;
    while ((n = in.read(buf)) > 0) {
      sha.update(buf, 0, n);
      Thread.sleep(2);
    }
    assertTrue(reader.next().isEmpty());
    return HexFormat.of().formatHex(sha.digest());
  }

  private static byte[] content(int seed, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static byte[] multipart(byte[] content) {
    return OneFileUpload.body(BOUNDARY, "f.bin", content);
  }

  private static CompletableFuture<HttpResponse<String>> upload(
      HttpClient client, int port, byte[] content) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(content)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void manySlowUploadsShareTheBudgetAndEachArrivesWhole() throws Exception {
    budget = new UploadBudget(BUDGET, READ_AHEAD, UPLOADS);
    int port = serve();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<byte[]> contents = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < UPLOADS; i++) {
      contents.add(content(i, 6 << 20));
      answers.add(upload(client, port, contents.get(i)));
    }
    for (int i = 0; i < UPLOADS; i++) {
      HttpResponse<String> answer = answers.get(i).get(120, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode(), answer.body());
      String expected =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contents.get(i)));
      assertEquals(expected, answer.body(), "upload " + i);
    }
    System.out.printf(
        "%d slow uploads held at most %d bytes at once (budget %d, read-ahead %d each)%n",
        UPLOADS, budget.peak(), BUDGET, READ_AHEAD);
    // Without the shared budget each of the 16 would have held up to its 4 MiB read-ahead.
    assertTrue(
        budget.peak() <= BUDGET + UPLOADS * LAST_PIECES,
        UPLOADS + " slow uploads held up to " + budget.peak() + " bytes at once");
    assertEquals(0, budget.held(), "bytes still counted after every upload ended");
  }

  @Test
  void anUploadAloneKeepsItsWholeReadAhead() throws Exception {
    budget = new UploadBudget(BUDGET, READ_AHEAD, UPLOADS);
    int port = serve();
    byte[] content = content(99, 12 << 20);
    HttpResponse<String> answer =
        upload(HttpClient.newHttpClient(), port, content).get(60, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
        answer.body());
    assertTrue(
        budget.peak() >= READ_AHEAD,
        "an upload alone held at most " + budget.peak() + " of its " + READ_AHEAD + " bytes");
    assertTrue(budget.peak() <= READ_AHEAD + LAST_PIECES, "held " + budget.peak());
  }
}
