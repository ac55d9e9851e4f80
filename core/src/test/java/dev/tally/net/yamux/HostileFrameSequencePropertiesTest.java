package dev.tally.net.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A hostile peer's Yamux frames, as a sequence: mixes of valid and invalid types, flags, stream
 * ids, window updates near 2^32 and data frames whose length disagrees with their bytes. The
 * session either serves them or closes itself; nothing escapes to the event loop's exception
 * handler, and what the session holds for its streams stays within their receive windows.
 */
class HostileFrameSequencePropertiesTest {
  private static Loop loop;
  private static final List<Throwable> ESCAPED = new CopyOnWriteArrayList<>();

  @BeforeContainer
  static void start() {
    loop = new Loop();
    loop.run(() -> loop.context.exceptionHandler(ESCAPED::add));
  }

  @AfterContainer
  static void stop() {
    loop.close();
  }

  @Property(tries = 150, seed = "4131")
  void randomFrameSequencesAreServedOrCloseTheSession(@ForAll long seed) {
    Random r = new Random(seed);
    ESCAPED.clear();
    YamuxOptions options = YamuxOptions.defaults();
    List<YamuxStream> accepted = new ArrayList<>();
    RawPeer raw =
        loop.call(
            () -> {
              MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, 1 << 20);
              YamuxSession s = YamuxSession.start(loop.context, ends[0], r.nextBoolean(), options);
              s.streamHandler(
                  st -> {
                    accepted.add(st);
                    st.exceptionHandler(e -> {});
                    if (r.nextBoolean()) {
                      st.pause();
                    } else {
                      st.handler(st::write);
                      st.endHandler(v -> st.end());
                    }
                  });
              sessionRef = s;
              return new RawPeer(ends[1]);
            });
    YamuxSession session = sessionRef;
    Buffer wire = Buffer.buffer();
    for (int i = 1 + r.nextInt(30); i > 0; i--) {
      int type = r.nextInt(10) == 0 ? 4 + r.nextInt(250) : r.nextInt(4);
      int flags = r.nextInt(6) == 0 ? r.nextInt(1 << 16) : 1 << r.nextInt(4);
      // Pings and go-aways belong on stream 0; mostly keep them there so sequences run on.
      int id =
          r.nextInt(8) == 0
              ? r.nextInt()
              : type >= FrameHeader.TYPE_PING && r.nextInt(4) > 0 ? 0 : r.nextInt(8);
      int payload = type == FrameHeader.TYPE_DATA ? r.nextInt(2000) : 0;
      long length =
          switch (r.nextInt(5)) {
            case 0 -> 0xffff_ffffL - r.nextInt(3);
            case 1 -> r.nextInt(1 << 20);
            default -> payload;
          };
      byte[] bytes = new byte[payload];
      r.nextBytes(bytes);
      wire.appendBuffer(RawPeer.frame(type, flags, id, length, Buffer.buffer(bytes)));
    }
    loop.run(() -> raw.end.write(wire));
    // Two turns of the loop: the write is delivered, then whatever it scheduled has run.
    loop.run(() -> {});
    loop.run(() -> {});
    assertEquals(List.of(), ESCAPED, "exceptions escaped to the event loop");
    long window = options.maxStreamWindow();
    long queued = loop.call(() -> accepted.stream().mapToLong(YamuxStream::queuedBytes).sum());
    assertTrue(
        queued <= (long) accepted.size() * window,
        "streams hold " + queued + " bytes, more than their windows");
    loop.run(session::close);
  }

  private static YamuxSession sessionRef;
}
