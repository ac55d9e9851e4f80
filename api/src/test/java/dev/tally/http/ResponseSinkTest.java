package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink a worker streams a response through: the client gets exactly the bytes written, in
 * order, and every pooled piece goes back once the socket took it, also when the client leaves
 * mid-response.
 */
class ResponseSinkTest {
  private Vertx vertx;
  private final List<ByteBuf> pieces = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ByteBuf piece(int n) {
    ByteBuf b = Unpooled.directBuffer(n, n);
    pieces.add(b);
    return b;
  }

  /** Serves one response of {@code length} bytes written by {@code writer} from a worker. */
  private int serve(long length, Writer writer, CompletableFuture<Throwable> outcome)
      throws Exception {
    Handler<HttpServerRequest> handler =
        request -> {
          Context context = vertx.getOrCreateContext();
          request.response().putHeader("Content-Length", Long.toString(length));
          ResponseSink sink = new ResponseSink(context, request.response(), this::piece);
          vertx
              .executeBlocking(
                  () -> {
                    writer.write(sink);
                    sink.close();
                    return null;
                  })
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      request.response().end();
                    }
                    outcome.complete(ar.cause());
                  });
        };
    HttpServer server = vertx.createHttpServer().requestHandler(handler);
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  private interface Writer {
    void write(ResponseSink out) throws IOException;
  }

  /** Writes one piece of a body: the {@code index}-th, {@code n} bytes from {@code at}. */
  private interface PieceWriter {
    void write(ResponseSink out, int index, int at, int n) throws IOException;
  }

  /**
   * Serves {@code body} cut into pieces of the {@code sizes} in turn, each written by {@code
   * writer}; the client must read exactly {@code body} and the writer must succeed.
   */
  private void assertServedInOrder(byte[] body, int[] sizes, PieceWriter writer) throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    int port =
        serve(
            body.length,
            out -> {
              int at = 0;
              for (int i = 0; at < body.length; i++) {
                int n = Math.min(sizes[i % sizes.length], body.length - at);
                writer.write(out, i, at, n);
                at += n;
              }
            },
            outcome);
    try (Socket socket = get(port)) {
      assertArrayEquals(body, body(socket));
    }
    assertEquals(null, outcome.get(10, TimeUnit.SECONDS));
  }

  /** Sends a GET and returns the socket, the response unread. */
  private static Socket get(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket
        .getOutputStream()
        .write(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The body of a complete response read from {@code socket}. */
  private static byte[] body(Socket socket) throws IOException {
    byte[] got = socket.getInputStream().readAllBytes();
    String all = new String(got, StandardCharsets.ISO_8859_1);
    assertTrue(all.startsWith("HTTP/1.1 200"), all.substring(0, Math.min(80, all.length())));
    return java.util.Arrays.copyOfRange(got, all.indexOf("\r\n\r\n") + 4, got.length);
  }

  @Test
  void theClientReadsEveryByteInOrderAndEveryPieceIsReleased() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 12345];
    new SplittableRandom(5).nextBytes(body);
    // Single bytes, small writes that are staged, and writes larger than a piece.
    assertServedInOrder(
        body,
        new int[] {1, 7, 100, 70_000, 1, 600_000, 3, 65_536, 1_000_000},
        (out, i, at, n) -> {
          if (n == 1) {
            out.write(body[at]);
          } else {
            out.write(body, at, n);
          }
          if (i % 5 == 0) {
            out.flush(); // an ndjson-style small flush
          }
        });
    assertTrue(pieces.size() > 1, "the body went out in several pieces");
    awaitReleased();
  }

  @Test
  void aClientThatLeavesMidResponseFailsTheWriterAndLeavesNothingPooled() throws Exception {
    long length = 64L << 20;
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    byte[] block = new byte[256 * 1024];
    int port =
        serve(
            length,
            out -> {
              for (long at = 0; at < length; at += block.length) {
                out.write(block);
              }
            },
            outcome);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      in.readNBytes(1 << 20); // some of the body, then gone
    }
    Throwable failure = outcome.get(30, TimeUnit.SECONDS);
    assertTrue(failure instanceof IOException, "the writer learns the client left: " + failure);
    assertTrue(failure.getMessage().contains("client connection failed"), "message: " + failure);
    awaitReleased();
  }

  @Test
  void handedOverArraysGoOutInOrderWithTheWritesAroundThem() throws Exception {
    byte[] body = new byte[2 * 1024 * 1024 + 777];
    new SplittableRandom(9).nextBytes(body);
    // Owned pieces (each a fresh array, as the exporter hands them over) between staged small
    // writes and copied large ones: the staged bytes must not be overtaken.
    assertServedInOrder(
        body,
        new int[] {5, 262_144, 1, 100_000, 70_000, 3},
        (out, i, at, n) -> {
          if (i % 3 == 1) {
            byte[] own = java.util.Arrays.copyOfRange(body, at - 2, at + n + 2);
            out.writeOwned(own, 2, n);
          } else {
            out.write(body, at, n);
          }
        });
    awaitReleased();
  }

  @Test
  void aClientThatReadsNothingHoldsTheWriterOfOwnedArraysAtABoundedAmount() throws Exception {
    long length = 256L << 20;
    int block = 256 * 1024;
    java.util.concurrent.atomic.AtomicLong handed = new java.util.concurrent.atomic.AtomicLong();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    int port =
        serve(
            length,
            out -> {
              for (long at = 0; at < length; at += block) {
                out.writeOwned(new byte[block], 0, block);
                handed.addAndGet(block);
              }
            },
            outcome);
    try (Socket socket = get(port)) {
      // Not reading: the socket's buffers fill, then the sink's window, then the writer waits.
      long before;
      long after = handed.get();
      do {
        before = after;
        Thread.sleep(500);
        after = handed.get();
      } while (after != before);
      assertTrue(
          after < 64L << 20,
          "a client reading nothing let the writer hand over " + (after >> 20) + " MiB");
      assertTrue(!outcome.isDone(), "the writer is still waiting for the client");
      assertEquals(length, body(socket).length);
    }
    assertEquals(null, outcome.get(30, TimeUnit.SECONDS));
  }

  /** Releases happen on the event loop after each write completes: wait for the last ones. */
  private void awaitReleased() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pieces.stream().anyMatch(b -> b.refCnt() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long held = pieces.stream().filter(b -> b.refCnt() > 0).count();
    assertEquals(0, held, "pieces still held after the response: " + held);
  }
}
