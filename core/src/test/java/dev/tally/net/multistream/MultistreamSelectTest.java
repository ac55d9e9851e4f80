package dev.tally.net.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Await;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.testing.RawSocket;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Negotiations over real loopback TCP, between two Tally sides or a raw hostile socket. */
class MultistreamSelectTest {
  Vertx vertx;
  TcpTransport tcp;
  // Held for the whole test: Vert.x closes a client, and its sockets, once it is garbage.
  NetClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    tcp = new TcpTransport(vertx, TcpOptions.DEFAULTS);
    client = vertx.createNetClient();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  /** A listener whose connections are negotiated as responder; the first outcome is returned. */
  private Promise<Negotiated> respond(
      ProtocolRegistry registry, MultistreamOptions options, Promise<TcpListener> listening) {
    Promise<Negotiated> outcome = Promise.promise();
    tcp.listen(
            Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
            d -> MultistreamSelect.handle(vertx, d, registry, options).onComplete(outcome))
        .onComplete(listening);
    return outcome;
  }

  /** A raw socket to {@code l}, reading and watching for close from its first byte. */
  private RawSocket raw(TcpListener l) {
    String[] parts = l.address().toString().split("/");
    return Await.result(RawSocket.connect(vertx, client, Integer.parseInt(parts[4])));
  }

  @Test
  void agreesOnFirstSupportedProposalAfterNa() {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(ProtocolRegistry.of(List.of("/b/1.0.0")), MultistreamOptions.DEFAULTS, listening);
    TcpListener l = Await.result(listening.future());
    Negotiated client =
        Await.result(
            tcp.dial(l.address())
                .compose(d -> MultistreamSelect.select(vertx, d, List.of("/a/1.0.0", "/b/1.0.0"))));
    assertEquals("/b/1.0.0", client.protocol());
    assertEquals("/b/1.0.0", Await.result(server.future()).protocol());
  }

  @Test
  void negotiatedDuplexesCarryDataBothWays() {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(ProtocolRegistry.of(List.of("/echo")), MultistreamOptions.DEFAULTS, listening);
    TcpListener l = Await.result(listening.future());
    server.future().onSuccess(n -> n.duplex().pipeTo(n.duplex()));
    Negotiated client =
        Await.result(
            tcp.dial(l.address())
                .compose(d -> MultistreamSelect.select(vertx, d, List.of("/echo"))));
    Promise<String> echoed = Promise.promise();
    Buffer acc = Buffer.buffer();
    client
        .duplex()
        .handler(
            b -> {
              acc.appendBuffer(b);
              if (acc.length() == 4) {
                echoed.tryComplete(acc.toString());
              }
            });
    client.duplex().write(Buffer.buffer("ping"));
    assertEquals("ping", Await.result(echoed.future()));
  }

  @Test
  void bytesPipelinedAfterTheProposalAreHandedOver() {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(ProtocolRegistry.of(List.of("/noise")), MultistreamOptions.DEFAULTS, listening);
    TcpListener l = Await.result(listening.future());
    RawSocket peer = raw(l);
    // As js-libp2p's optimistic select does: header, proposal and first data in one packet.
    Buffer all = MultistreamCodec.encode(MultistreamCodec.HEADER);
    all.appendBuffer(MultistreamCodec.encode("/noise"));
    all.appendString("EARLY-DATA");
    peer.write(all);
    Negotiated n = Await.result(server.future());
    Promise<String> first = Promise.promise();
    Buffer acc = Buffer.buffer();
    vertx.runOnContext(
        v ->
            n.duplex()
                .handler(
                    b -> {
                      acc.appendBuffer(b);
                      if (acc.length() >= 15) {
                        first.tryComplete(acc.toString());
                      }
                    }));
    peer.write(Buffer.buffer("LATER"));
    assertEquals("EARLY-DATALATER", Await.result(first.future()));
  }

  @Test
  void answersLsWithTheRegistry() throws InterruptedException {
    Promise<TcpListener> listening = Promise.promise();
    respond(ProtocolRegistry.of(List.of("/a", "/bc")), MultistreamOptions.DEFAULTS, listening);
    RawSocket peer = raw(Await.result(listening.future()));
    Buffer expected = MultistreamCodec.encode(MultistreamCodec.HEADER);
    expected.appendBuffer(MultistreamCodec.encodeList(List.of("/a", "/bc")));
    Buffer req = MultistreamCodec.encode(MultistreamCodec.HEADER);
    req.appendBuffer(MultistreamCodec.encode("ls"));
    peer.write(req);
    assertEquals(expected, peer.read(expected.length(), Duration.ofSeconds(20)));
  }

  @Test
  void initiatorFailsAndClosesWhenNothingIsSupported() {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(ProtocolRegistry.of(List.of("/other")), MultistreamOptions.DEFAULTS, listening);
    TcpListener l = Await.result(listening.future());
    Throwable e =
        Await.failure(
            tcp.dial(l.address())
                .compose(d -> MultistreamSelect.select(vertx, d, List.of("/x", "/y"))));
    assertInstanceOf(ProtocolNotSupportedException.class, e);
    assertEquals(List.of("/x", "/y"), ((ProtocolNotSupportedException) e).proposed());
    // The initiator closed the connection, so the responder's negotiation ends too.
    assertInstanceOf(MultistreamException.class, Await.failure(server.future()));
  }

  private void assertRejectedAndClosed(Buffer hostile, String expectedInMessage) {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(ProtocolRegistry.of(List.of("/noise")), MultistreamOptions.DEFAULTS, listening);
    RawSocket peer = raw(Await.result(listening.future()));
    peer.write(hostile);
    Throwable e = Await.failure(server.future());
    assertInstanceOf(MultistreamException.class, e);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    Await.result(peer.closed());
  }

  @Test
  void garbageInsteadOfMultistreamClosesTheConnection() {
    assertRejectedAndClosed(
        Buffer.buffer(
            "GET / HTTP/1.1\r\nHost: example.org\r\n" + "X-Pad: " + "p".repeat(100) + "\r\n\r\n"),
        "does not end with a newline");
  }

  @Test
  void oneGibibyteLengthClaimClosesTheConnection() {
    assertRejectedAndClosed(
        Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}),
        "limit of 1024");
  }

  @Test
  void wrongHeaderClosesTheConnection() {
    assertRejectedAndClosed(MultistreamCodec.encode("/multistream/2.0.0"), "expected header");
  }

  @Test
  void proposalFloodClosesTheConnection() {
    Buffer flood = MultistreamCodec.encode(MultistreamCodec.HEADER);
    for (int i = 0; i < 40; i++) {
      flood.appendBuffer(MultistreamCodec.encode("/nope/" + i));
    }
    assertRejectedAndClosed(flood, "proposals without agreement");
  }

  @Test
  void silentPeerTimesOut() {
    Promise<TcpListener> listening = Promise.promise();
    Promise<Negotiated> server =
        respond(
            ProtocolRegistry.of(List.of("/noise")),
            MultistreamOptions.DEFAULTS.withTimeout(Duration.ofMillis(300)),
            listening);
    RawSocket peer = raw(Await.result(listening.future()));
    Throwable e = Await.failure(server.future());
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    Await.result(peer.closed());
  }

  @Test
  void selectRejectsEmptyProposalList() {
    assertInstanceOf(
        IllegalArgumentException.class,
        Await.failure(MultistreamSelect.select(vertx, null, List.of())));
  }
}
