package dev.tally.net.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport phase over an in-memory pair: framing, fetch-driven delivery and end. */
class NoiseDuplexTest {
  final Loop loop = new Loop();
  MemoryDuplex[] wire;
  NoiseDuplex a;
  NoiseDuplex b;
  CipherState aSends;

  @BeforeEach
  void handshake() {
    SecureRandom rnd = new SecureRandom();
    XxHandshake i = XxHandshake.create(true, X25519KeyPair.generate(rnd), rnd);
    XxHandshake r = XxHandshake.create(false, X25519KeyPair.generate(rnd), rnd);
    r.readMessage(i.writeMessage(new byte[0]));
    i.readMessage(r.writeMessage(new byte[0]));
    r.readMessage(i.writeMessage(new byte[0]));
    CipherState[] ci = i.split();
    CipherState[] cr = r.split();
    aSends = ci[0];
    wire = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
    a = loop.call(() -> new NoiseDuplex(loop.context, wire[0], ci[0], ci[1], Buffer.buffer()));
    b = loop.call(() -> new NoiseDuplex(loop.context, wire[1], cr[0], cr[1], Buffer.buffer()));
  }

  @AfterEach
  void close() {
    loop.close();
  }

  private void settle() {
    for (int i = 0; i < 5; i++) {
      loop.run(() -> {});
    }
  }

  @Test
  void largeWriteIsSplitIntoMaximalFrames() {
    List<Integer> sizes = new ArrayList<>();
    loop.run(() -> b.handler(buf -> sizes.add(buf.length())));
    loop.run(() -> a.write(Buffer.buffer(new byte[200_000])));
    loop.until(Duration.ofSeconds(5), () -> sizes.size() == 4, "four frames");
    assertEquals(List.of(65519, 65519, 65519, 3443), loop.call(() -> List.copyOf(sizes)));
    // Each frame adds a 2-byte length and a 16-byte tag: 65519 + 18 = 65537 bytes, 65535 framed.
    assertEquals(200_000 + 4 * 18, loop.call(() -> wire[0].bytesWritten));
  }

  @Test
  void writesWithinOneTaskShareOneFrameAndOneTransportWrite() {
    List<String> got = new ArrayList<>();
    loop.run(() -> b.handler(buf -> got.add(buf.toString())));
    loop.run(
        () -> {
          for (String s : List.of("yamux-header", "payload", "window-update")) {
            a.write(Buffer.buffer(s));
          }
        });
    loop.until(Duration.ofSeconds(5), () -> !got.isEmpty(), "a frame");
    settle();
    assertEquals(List.of("yamux-headerpayloadwindow-update"), loop.call(() -> List.copyOf(got)));
    assertEquals(1, loop.call(() -> wire[0].writes));
    assertEquals(2 + 32 + 16, loop.call(() -> wire[0].bytesWritten));
  }

  @Test
  void writesFromDirectAndSlicedBuffersArriveIntact() {
    byte[] data = new byte[150_000];
    new java.util.Random(9).nextBytes(data);
    Buffer got = Buffer.buffer();
    loop.run(() -> b.handler(got::appendBuffer));
    loop.run(
        () -> {
          a.write(
              io.vertx.core.internal.buffer.BufferInternal.buffer(
                  io.netty.buffer.Unpooled.directBuffer(70_000).writeBytes(data, 0, 70_000)));
          a.write(Buffer.buffer(data).slice(70_000, data.length));
        });
    loop.until(Duration.ofSeconds(5), () -> got.length() == data.length, "all bytes");
    assertEquals(Buffer.buffer(data), loop.call(() -> got.copy()));
  }

  @Test
  void framesCutAnywhereAcrossReadsOpenInOrder() {
    // Frames of every size class, sealed by hand and cut at random points: whole frames, frames
    // split in their length prefix or body, several frames in one read, one-byte reads.
    Random rnd = new Random(15);
    Buffer plain = Buffer.buffer();
    Buffer wireBytes = Buffer.buffer();
    for (int size : new int[] {1, 65519, 12, 65519, 65519, 3000, 0, 40_000, 65519, 7}) {
      byte[] m = new byte[size];
      rnd.nextBytes(m);
      plain.appendBytes(m);
      wireBytes.appendBuffer(FrameDecoder.frame(aSends.encrypt(new byte[0], m)));
    }
    List<Buffer> reads = new ArrayList<>();
    for (int pos = 0; pos < wireBytes.length(); ) {
      int n =
          Math.min(wireBytes.length() - pos, rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(200_000));
      reads.add(wireBytes.slice(pos, pos + n));
      pos += n;
    }
    Buffer got = Buffer.buffer();
    loop.run(() -> b.handler(got::appendBuffer));
    for (Buffer read : reads) {
      loop.run(() -> wire[0].write(read));
    }
    loop.until(Duration.ofSeconds(5), () -> got.length() == plain.length(), "all plaintext");
    assertEquals(plain, loop.call(() -> got.copy()));
  }

  @Test
  void pausedReaderGetsExactlyWhatItFetches() {
    List<String> got = new ArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    loop.run(
        () -> b.pause().handler(buf -> got.add(buf.toString())).endHandler(v -> ended.set(true)));
    // One task per write: writes within one task are coalesced into one frame.
    loop.run(() -> a.write(Buffer.buffer("one")));
    loop.run(() -> a.write(Buffer.buffer("two")));
    loop.run(
        () -> {
          a.write(Buffer.buffer("three"));
          a.end();
        });
    settle();
    assertEquals(List.of(), loop.call(() -> List.copyOf(got)));
    loop.run(() -> b.fetch(1));
    loop.until(Duration.ofSeconds(5), () -> got.size() == 1, "one message");
    settle();
    assertEquals(List.of("one"), loop.call(() -> List.copyOf(got)));
    loop.run(() -> b.resume());
    loop.until(Duration.ofSeconds(5), ended::get, "end after all data");
    assertEquals(List.of("one", "two", "three"), loop.call(() -> List.copyOf(got)));
  }
}
