package dev.tally.net.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.Varint;
import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IdentifyCodecTest {
  private final IdentifyCodec codec = new IdentifyCodec(IdentifyCodec.DEFAULT_MAX_MESSAGE_SIZE);
  private final Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(new byte[32]);

  /** A protobuf field with wire type 2, built from the spec's field numbers by hand. */
  private static void field(ByteArrayOutputStream out, int number, byte[] value) {
    out.write(number << 3 | 2);
    out.write(value.length);
    out.writeBytes(value);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesEveryFieldByItsSpecNumberAndIgnoresSignedPeerRecord() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    field(body, 5, utf8("ipfs/0.1.0"));
    field(body, 6, utf8("go-ipfs/0.30.0"));
    field(body, 1, key.publicKey().marshal());
    field(body, 2, Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").bytes());
    field(body, 2, new byte[] {(byte) 0xff, 0x7f}); // an unknown transport: skipped
    field(body, 4, Multiaddr.parse("/ip4/10.0.0.1/tcp/5555").bytes());
    field(body, 3, utf8("/ipfs/id/1.0.0"));
    field(body, 3, utf8("/ipfs/ping/1.0.0"));
    field(body, 8, new byte[] {1, 2, 3});
    byte[] msg = body.toByteArray();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(Varint.encode(msg.length));
    wire.writeBytes(msg);

    IdentifyInfo info = codec.decode(wire.toByteArray());

    assertEquals(Optional.of("ipfs/0.1.0"), info.protocolVersion());
    assertEquals(Optional.of("go-ipfs/0.30.0"), info.agentVersion());
    assertEquals(Optional.of(key.publicKey()), info.publicKey());
    assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), info.listenAddrs());
    assertEquals(Optional.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/5555")), info.observedAddr());
    assertEquals(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), info.protocols());
  }

  @Test
  void encodesAUvarintLengthPrefixedMessage() {
    IdentifyInfo info = sample();
    byte[] wire = codec.encode(info);
    assertEquals(wire.length - 2, (wire[0] & 0x7f) | (wire[1] & 0x7f) << 7, "2-byte uvarint");
    assertTrue(
        HexFormat.of().formatHex(wire).contains(HexFormat.of().formatHex(utf8("tally/0.1.0"))));
    assertEquals(info, codec.decode(wire));
  }

  @Test
  void mergesAResponseSplitIntoSeveralMessages() {
    IdentifyInfo first =
        new IdentifyInfo(
            Optional.of(key.publicKey()),
            List.of(),
            List.of("/a"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    IdentifyInfo second =
        new IdentifyInfo(
            Optional.empty(),
            List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/1")),
            List.of("/b"),
            Optional.empty(),
            Optional.of("ipfs/0.1.0"),
            Optional.empty());
    byte[] a = codec.encode(first);
    byte[] b = codec.encode(second);
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    IdentifyInfo merged = codec.decode(both);
    assertEquals(List.of("/a", "/b"), merged.protocols());
    assertEquals(Optional.of(key.publicKey()), merged.publicKey());
    assertEquals(1, merged.listenAddrs().size());
  }

  @Test
  void rejectsOversizedAndTruncatedMessagesWithoutAllocatingFromTheLength() {
    // A 1 GiB length prefix followed by nothing.
    assertThrows(
        IdentifyException.class,
        () -> codec.decode(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}));
    assertThrows(IdentifyException.class, () -> codec.decode(new byte[] {10, 0x2a, 3}));
    assertThrows(IdentifyException.class, () -> codec.decode(new byte[0]));
  }

  @Property(tries = 300)
  void arbitraryBytesOnlyEverFailWithAnIdentifyException(@ForAll @Size(max = 300) byte[] junk) {
    try {
      codec.decode(junk);
    } catch (IdentifyException expected) {
      // the only failure a hostile peer may cause
    }
  }

  @Test
  void exchangesOverAStreamAndResetsAnOversizedResponse() {
    try (Loop loop = new Loop()) {
      IdentifyProtocol protocol = new IdentifyProtocol(codec);
      MemoryDuplex[] ends = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
      IdentifyInfo got =
          loop.await(
              () -> {
                protocol.send(ends[0], sample());
                return protocol.receive(ends[1]);
              });
      assertEquals(sample(), got);

      IdentifyProtocol tiny = new IdentifyProtocol(new IdentifyCodec(16));
      MemoryDuplex[] more = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
      Throwable failure =
          loop.await(
              () -> {
                more[0].write(io.vertx.core.buffer.Buffer.buffer(new byte[1000]));
                return tiny.receive(more[1])
                    .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()));
              });
      assertTrue(failure instanceof IdentifyException, "got " + failure);
    }
  }

  private IdentifyInfo sample() {
    return new IdentifyInfo(
        Optional.of(key.publicKey()),
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")),
        List.of(IdentifyProtocol.ID, IdentifyProtocol.PUSH_ID, "/ipfs/ping/1.0.0"),
        Optional.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/50000")),
        Optional.of(IdentifyInfo.IPFS_PROTOCOL_VERSION),
        Optional.of("tally/0.1.0"));
  }
}
