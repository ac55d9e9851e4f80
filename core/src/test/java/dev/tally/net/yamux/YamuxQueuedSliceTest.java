package dev.tally.net.yamux;

import static dev.tally.net.yamux.FrameHeader.FLAG_SYN;
import static dev.tally.net.yamux.FrameHeader.TYPE_DATA;
import static dev.tally.net.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Memory a paused reader keeps alive. Every chunk the connection delivers here is one 64 KiB array
 * (as a Noise frame's plaintext is) carrying a large frame for a stream that reads and a small one
 * for a stream that does not. The pieces queued for the paused stream must not keep those arrays
 * alive: at most {@code queuedRetentionRatio} (2) times the bytes it holds.
 */
class YamuxQueuedSliceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CHUNK = 64 * 1024;
  private static final int READING = 1;
  private static final int PAUSED = 3;

  private final Loop loop = new Loop();
  private final List<Buffer> delivered = new ArrayList<>();
  private final long[] readBytes = {0};
  private YamuxStream paused;

  @AfterEach
  void stop() {
    loop.close();
  }

  /** A listener session; the raw peer opens a reading stream and a paused one. */
  private RawPeer start() {
    RawPeer raw =
        loop.call(
            () -> {
              MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, 1 << 24);
              YamuxSession s =
                  YamuxSession.start(loop.context, ends[0], false, YamuxOptions.defaults());
              s.streamHandler(
                  st -> {
                    if (st.id() == PAUSED) {
                      paused = st;
                      st.pause();
                      st.handler(delivered::add);
                    } else {
                      st.handler(b -> readBytes[0] += b.length());
                    }
                  });
              return new RawPeer(ends[1]);
            });
    loop.run(() -> raw.send(TYPE_WINDOW_UPDATE, FLAG_SYN, READING, 0));
    loop.run(() -> raw.send(TYPE_WINDOW_UPDATE, FLAG_SYN, PAUSED, 0));
    loop.until(WAIT, () -> paused != null, "both streams accepted");
    return raw;
  }

  /** One 64 KiB write: {@code small} bytes for the paused stream, the rest for the reading one. */
  private static Buffer chunk(byte[] small, boolean smallFirst) {
    int big = CHUNK - 2 * FrameHeader.SIZE - small.length;
    Buffer readingFrame = RawPeer.frame(TYPE_DATA, 0, READING, big, Buffer.buffer(new byte[big]));
    Buffer pausedFrame = RawPeer.frame(TYPE_DATA, 0, PAUSED, small.length, Buffer.buffer(small));
    Buffer all = Buffer.buffer(CHUNK);
    return smallFirst
        ? all.appendBuffer(pausedFrame).appendBuffer(readingFrame)
        : all.appendBuffer(readingFrame).appendBuffer(pausedFrame);
  }

  private void sendAndWait(RawPeer raw, List<byte[]> smalls, boolean smallFirst) {
    long expected = 0;
    for (byte[] small : smalls) {
      expected += CHUNK - 2 * FrameHeader.SIZE - small.length;
    }
    // One chunk per event-loop task, so the reading stream's window updates go out in between.
    for (byte[] small : smalls) {
      loop.run(() -> raw.end.write(chunk(small, smallFirst)));
    }
    long total = expected;
    loop.until(WAIT, () -> readBytes[0] == total, "the reading stream got everything");
  }

  /** Bytes of the distinct arrays behind {@code buffers}: what they keep alive. */
  private static long retained(List<Buffer> buffers) {
    Map<byte[], Boolean> arrays = new IdentityHashMap<>();
    long sum = 0;
    for (Buffer b : buffers) {
      byte[] array = ((BufferInternal) b).getByteBuf().array();
      if (arrays.put(array, Boolean.TRUE) == null) {
        sum += array.length;
      }
    }
    return sum;
  }

  private List<Buffer> resumeAndCollect(long held) {
    loop.run(() -> paused.resume());
    loop.until(
        WAIT,
        () -> delivered.stream().mapToLong(Buffer::length).sum() == held,
        "the paused reader got its bytes");
    return loop.call(() -> List.copyOf(delivered));
  }

  @Test
  void aHundredOneBytePiecesDoNotPinAHundredReadArrays() {
    RawPeer raw = start();
    List<byte[]> smalls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      smalls.add(new byte[] {(byte) i});
    }
    sendAndWait(raw, smalls, false);
    assertEquals(100, loop.call(paused::queuedBytes), "the paused reader holds 100 bytes");
    List<Buffer> got = resumeAndCollect(100);
    long retained = retained(got);
    // Before: 100 pieces, each a slice of its own 64 KiB array, 6,553,600 bytes for 100.
    assertTrue(retained <= 2 * 100, "100 held bytes keep " + retained + " bytes alive");
    Buffer all = Buffer.buffer();
    got.forEach(all::appendBuffer);
    for (int i = 0; i < 100; i++) {
      assertEquals((byte) i, all.getByte(i), "byte " + i + " in order");
    }
  }

  @Test
  void aPieceFillingMostOfItsArrayIsQueuedWithoutACopy() {
    RawPeer raw = start();
    byte[] large = new byte[60_000];
    new Random(5).nextBytes(large);
    sendAndWait(raw, List.of(large), true);
    List<Buffer> got = resumeAndCollect(large.length);
    assertEquals(1, got.size());
    byte[] array = ((BufferInternal) got.get(0)).getByteBuf().array();
    assertEquals(CHUNK, array.length, "still a slice of the 64 KiB read array");
    assertArrayEquals(large, got.get(0).getBytes());
    assertSame(array, ((BufferInternal) got.get(0)).getByteBuf().array());
  }

  @Test
  void aSecondPieceOfAnArrayAlreadyQueuedIsNotCopiedEvenWhenSparse() {
    RawPeer raw = start();
    byte[] first = new byte[40_000];
    byte[] second = new byte[20_000];
    new Random(6).nextBytes(first);
    new Random(7).nextBytes(second);
    int rest = CHUNK - 3 * FrameHeader.SIZE - first.length - second.length;
    Buffer chunk =
        Buffer.buffer(CHUNK)
            .appendBuffer(RawPeer.frame(TYPE_DATA, 0, PAUSED, first.length, Buffer.buffer(first)))
            .appendBuffer(RawPeer.frame(TYPE_DATA, 0, PAUSED, second.length, Buffer.buffer(second)))
            .appendBuffer(
                RawPeer.frame(TYPE_DATA, 0, READING, rest, Buffer.buffer(new byte[rest])));
    loop.run(() -> raw.end.write(chunk));
    loop.until(WAIT, () -> readBytes[0] == rest, "the reading stream got its bytes");
    List<Buffer> got = resumeAndCollect(first.length + second.length);
    // 20,000 bytes fill less than half of the array, but the first piece keeps it alive anyway.
    assertEquals(2, got.size());
    assertEquals(CHUNK, retained(got), "both pieces are slices of the one read array");
    assertArrayEquals(first, got.get(0).getBytes());
    assertArrayEquals(second, got.get(1).getBytes());
  }

  @Test
  void mixedPiecesKeepAtMostTwiceWhatTheyHoldAndArriveIntact() {
    RawPeer raw = start();
    Random random = new Random(9);
    List<byte[]> smalls = new ArrayList<>();
    Buffer expected = Buffer.buffer();
    long held = 0;
    // Stays inside the paused stream's 256 KiB window: a paused reader grants nothing more.
    while (held < 200_000) {
      byte[] piece = new byte[1 + random.nextInt(random.nextBoolean() ? 200 : 40_000)];
      random.nextBytes(piece);
      if (held + piece.length > 256 * 1024) {
        break;
      }
      smalls.add(piece);
      expected.appendBytes(piece);
      held += piece.length;
    }
    sendAndWait(raw, smalls, random.nextBoolean());
    List<Buffer> got = resumeAndCollect(held);
    long retained = retained(got);
    // A buffer we copy into grows by doubling from 64 bytes: at most twice its content, or 64.
    assertTrue(
        retained <= 2 * held + 64L * got.size(),
        held + " held bytes in " + got.size() + " buffers keep " + retained + " bytes alive");
    Buffer all = Buffer.buffer();
    got.forEach(all::appendBuffer);
    assertEquals(expected, all);
  }
}
