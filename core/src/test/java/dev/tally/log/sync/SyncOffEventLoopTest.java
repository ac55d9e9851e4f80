package dev.tally.log.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.IpldNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * While a peer replicates a log of 1 MiB batches, the event-loop threads are sampled every
 * millisecond (as a profiler does): none of them is ever caught encoding or decoding a sync
 * message. That work (about a millisecond per batch) runs on workers, so the event loops stay free
 * for every other connection.
 */
class SyncOffEventLoopTest {
  private static final String CODEC = SyncCodec.class.getName();

  /**
   * Whether a stack is decoding any message, or encoding a batch of entries. Heads, wants and the
   * closing done are a few hundred bytes and are still encoded where they are written.
   */
  private static boolean inBatchCoding(StackTraceElement[] stack) {
    boolean codec = false;
    for (StackTraceElement f : stack) {
      if (f.getClassName().equals(CODEC)) {
        if (f.getMethodName().equals("decode")) {
          return true;
        }
        codec = true;
      } else if (codec && f.getClassName().equals(DeltaServer.class.getName())) {
        return !f.getMethodName().equals("end");
      }
    }
    return false;
  }

  @Test
  void noBatchIsEncodedAndNoMessageDecodedOnAnEventLoop() throws Exception {
    try (SyncPeers net = new SyncPeers(1, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      String pad = "p".repeat(600);
      List<IpldNode> records = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        records.add(
            IpldNode.map().put("kind", "Note").put("text", "n" + i).put("pad", pad).build());
      }
      a.log.appendAll(records, a.key);

      AtomicBoolean sampling = new AtomicBoolean(true);
      AtomicLong samples = new AtomicLong();
      List<String> caught = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (!t.getName().startsWith("vert.x-eventloop-thread-")) {
                      continue;
                    }
                    StackTraceElement[] stack = t.getStackTrace();
                    samples.incrementAndGet();
                    if (inBatchCoding(stack)) {
                      synchronized (caught) {
                        caught.add(t.getName() + " in " + List.of(stack).subList(0, 4));
                      }
                    }
                  }
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "event-loop-sampler");
      sampler.start();
      try {
        SyncPeers.Peer b = net.peer(1);
        b.connect(a);
        SyncPeers.eventually(
            Duration.ofSeconds(180),
            () -> b.log.size() == 20_000 && b.log.heads().equals(a.log.heads()),
            "b replicated a's 20,000 entries");
      } finally {
        sampling.set(false);
        sampler.join();
      }
      assertTrue(samples.get() > 100, "the sampler saw event loops " + samples + " times");
      synchronized (caught) {
        assertTrue(
            caught.isEmpty(),
            caught.size()
                + " samples caught an event loop in the sync codec, e.g. "
                + caught.subList(0, Math.min(5, caught.size())));
      }
    }
  }
}
