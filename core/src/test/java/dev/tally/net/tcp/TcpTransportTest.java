package dev.tally.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import dev.tally.net.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpTransportTest {
  Vertx vertx;
  TcpTransport transport;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    transport = new TcpTransport(vertx, TcpOptions.DEFAULTS);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void dialsListenerOnLoopbackAndEchoes() throws Exception {
    TcpListener listener =
        Await.result(transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), d -> d.pipeTo(d)));
    assertTrue(listener.address().toString().startsWith("/ip4/127.0.0.1/tcp/"));
    TcpDuplex client = Await.result(transport.dial(listener.address()));
    assertEquals(listener.address(), client.remoteAddress());
    CompletableFuture<String> got = new CompletableFuture<>();
    Buffer acc = Buffer.buffer();
    client.handler(
        b -> {
          acc.appendBuffer(b);
          if (acc.length() == 5) {
            got.complete(acc.toString());
          }
        });
    client.resume(); // connections are handed over paused
    client.write(Buffer.buffer("hello"));
    assertEquals("hello", got.get(10, TimeUnit.SECONDS));
    Await.result(client.close());
  }

  @Test
  void bytesThatArriveBeforeAHandlerIsSetAreKept() {
    // The accepting side speaks first and the dialler sets its handler late (as a host does after
    // asynchronous admission checks); the dialler likewise writes before the acceptor listens.
    Promise<String> atServer = Promise.promise();
    TcpListener listener =
        Await.result(
            transport.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                d -> {
                  d.write(Buffer.buffer("server first"));
                  vertx.setTimer(200, t -> d.handler(b -> atServer.tryComplete(b.toString())));
                }));
    TcpDuplex client = Await.result(transport.dial(listener.address()));
    client.write(Buffer.buffer("client first"));
    Promise<String> atClient = Promise.promise();
    vertx.setTimer(200, t -> client.handler(b -> atClient.tryComplete(b.toString())));
    assertEquals("server first", Await.result(atClient.future()));
    assertEquals("client first", Await.result(atServer.future()));
  }

  @Test
  void dialAcceptsTrailingPeerId() {
    TcpListener listener =
        Await.result(transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), d -> {}));
    Multiaddr withPeer =
        listener.address().encapsulate("/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    TcpDuplex client = Await.result(transport.dial(withPeer));
    Await.result(client.close());
  }

  @Test
  void rejectsNonTcpAddresses() {
    assertInstanceOf(
        MultiaddrException.class,
        Await.failure(transport.dial(Multiaddr.parse("/ip4/127.0.0.1/udp/4001"))));
    assertInstanceOf(
        MultiaddrException.class,
        Await.failure(transport.listen(Multiaddr.parse("/dns4/localhost/tcp/0"), d -> {})));
  }

  @Test
  void resetClosesTheRemoteSide() {
    Promise<TcpDuplex> accepted = Promise.promise();
    TcpListener listener =
        Await.result(
            transport.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), accepted::tryComplete));
    TcpDuplex client = Await.result(transport.dial(listener.address()));
    TcpDuplex server = Await.result(accepted.future());
    // The RST surfaces as "connection reset" on the server; expected here.
    server.exceptionHandler(e -> {});
    client.reset();
    Await.result(server.closeFuture());
    Await.result(client.closeFuture());
  }

  @Test
  void pausedReaderFillsTheWritersQueue() {
    Promise<TcpDuplex> accepted = Promise.promise();
    TcpListener listener =
        Await.result(
            transport.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                d -> {
                  d.pause();
                  d.handler(b -> {});
                  accepted.tryComplete(d);
                }));
    TcpDuplex client = Await.result(transport.dial(listener.address()));
    Await.result(accepted.future());
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    CompletableFuture<Long> written = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          long n = 0;
          // The kernel buffers a few MiB; past that the Vert.x queue must report being full.
          while (!client.writeQueueFull() && n < (256L << 20)) {
            client.write(chunk);
            n += chunk.length();
          }
          written.complete(n);
        });
    long n = Await.result(io.vertx.core.Future.fromCompletionStage(written));
    // The loop stops as soon as the queue reports full; reaching the cap means it never did.
    assertTrue(n < (256L << 20), "write queue never filled after " + n + " bytes");
  }
}
