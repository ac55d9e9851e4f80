package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Cid;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PinTrackerTest {
  private static final Cid A = PinsetPropertiesTest.CIDS.get(0);
  private static final Cid B = PinsetPropertiesTest.CIDS.get(1);
  private static final Cid C = PinsetPropertiesTest.CIDS.get(2);

  /** Local pins whose failures the test scripts: fails {@code failuresLeft} times per CID. */
  static final class ScriptedPins implements LocalPins {
    final Set<Cid> pinned = ConcurrentHashMap.newKeySet();
    final Map<Cid, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final Map<Cid, AtomicInteger> attempts = new ConcurrentHashMap<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile CountDownLatch unpinGate = new CountDownLatch(0);
    final AtomicInteger unpinsStarted = new AtomicInteger();

    @Override
    public void pin(Cid cid, String name) {
      attempts.computeIfAbsent(cid, c -> new AtomicInteger()).incrementAndGet();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      AtomicInteger left = failuresLeft.get(cid);
      if (left != null && left.getAndDecrement() > 0) {
        throw new IllegalStateException("no peer sent block " + cid);
      }
      pinned.add(cid);
    }

    @Override
    public void unpin(Cid cid) {
      unpinsStarted.incrementAndGet();
      try {
        unpinGate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pinned.remove(cid);
    }

    @Override
    public Set<Cid> pinned() {
      return Set.copyOf(pinned);
    }

    @Override
    public long freeBytes() {
      return 1L << 40;
    }
  }

  private final ScriptedPins local = new ScriptedPins();
  private final AtomicLong now = new AtomicLong(1_000_000);
  // Copy-on-write: the test streams it while workers add to it.
  private final List<StateRecord> reports = new CopyOnWriteArrayList<>();
  private PinTracker tracker;

  private PinTracker tracker() {
    tracker =
        new PinTracker(
            local,
            new TrackerOptions(2, Duration.ofSeconds(10), Duration.ofSeconds(60)),
            now::get,
            reports::addAll);
    return tracker;
  }

  @AfterEach
  void close() {
    if (tracker != null) {
      tracker.close();
    }
  }

  private static Map<Cid, PinRecord> pins(Cid... cids) {
    Map<Cid, PinRecord> out = new HashMap<>();
    for (Cid c : cids) {
      out.put(c, PinRecord.of(c, "n", 1, 2));
    }
    return out;
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
    }
  }

  private int attempts(Cid cid) {
    AtomicInteger n = local.attempts.get(cid);
    return n == null ? 0 : n.get();
  }

  private PinState state(Cid cid) {
    return tracker.status(cid).map(TrackedPin::state).orElse(PinState.UNPINNED);
  }

  @Test
  void pinsWhatIsAllocatedAndReportsIt() throws Exception {
    PinTracker t = tracker();
    local.gate = new CountDownLatch(1);
    t.sync(pins(A, B));
    waitFor(() -> state(A) == PinState.PINNING);
    local.gate.countDown();
    waitFor(() -> state(A) == PinState.PINNED && state(B) == PinState.PINNED);
    assertEquals(Set.of(A, B), local.pinned());
    waitFor(() -> reports.size() == 2);
    assertTrue(reports.stream().allMatch(r -> r.status() == PinState.PINNED));
  }

  @Test
  void unpinsWhatIsNoLongerAllocatedHere() {
    PinTracker t = tracker();
    t.sync(pins(A, B));
    waitFor(() -> local.pinned().size() == 2);
    t.sync(pins(B));
    waitFor(() -> !local.pinned().contains(A));
    assertTrue(t.status(A).isEmpty());
    assertEquals(PinState.PINNED, state(B));
    waitFor(() -> reports.stream().anyMatch(r -> r.status() == PinState.UNPINNED));
  }

  @Test
  void retriesAFailureAfterItsBackOffAndReportsItOnce() {
    local.failuresLeft.put(A, new AtomicInteger(2));
    PinTracker t = tracker();
    t.sync(pins(A));
    waitFor(() -> state(A) == PinState.FAILED);
    assertTrue(t.status(A).orElseThrow().error().contains("no peer sent block"));
    t.sync(pins(A)); // back-off (10 s) not over: no retry
    assertEquals(1, local.attempts.get(A).get());
    now.addAndGet(10_000);
    t.sync(pins(A));
    waitFor(() -> local.attempts.get(A).get() == 2 && state(A) == PinState.FAILED);
    assertEquals(2, t.status(A).orElseThrow().failures());
    now.addAndGet(10_000); // second back-off is 20 s
    t.sync(pins(A));
    assertEquals(2, local.attempts.get(A).get());
    now.addAndGet(10_000);
    t.sync(pins(A));
    waitFor(() -> state(A) == PinState.PINNED);
    assertEquals(
        1, reports.stream().filter(r -> r.status() == PinState.FAILED).count(), "" + reports);
  }

  @Test
  void recoverRetriesAtOnce() {
    local.failuresLeft.put(A, new AtomicInteger(1));
    PinTracker t = tracker();
    t.sync(pins(A));
    waitFor(() -> state(A) == PinState.FAILED);
    t.recover(A);
    waitFor(() -> state(A) == PinState.PINNED);
    assertEquals(2, local.attempts.get(A).get());
  }

  @Test
  void startsFromWhatIsAlreadyPinnedWithoutFetchingAgain() {
    local.pinned.add(A);
    PinTracker t = tracker();
    assertEquals(PinState.PINNED, state(A));
    t.sync(pins(A));
    assertFalse(local.attempts.containsKey(A));
  }

  @Test
  void aPinDroppedWhileInFlightIsUnpinnedWhenItLands() {
    PinTracker t = tracker();
    local.gate = new CountDownLatch(1);
    t.sync(pins(A));
    waitFor(() -> state(A) == PinState.PINNING);
    t.sync(pins());
    local.gate.countDown();
    // PINNING is set before the worker calls pin, so the attempt may not be counted yet.
    waitFor(() -> attempts(A) == 1 && !local.pinned().contains(A));
    waitFor(() -> t.status(A).isEmpty());
  }

  @Test
  void aPinAllocatedAwayWhileQueuedAndBackAgainIsPinned() {
    PinTracker t = tracker(); // two workers
    local.gate = new CountDownLatch(1);
    t.sync(pins(A, B));
    waitFor(() -> state(A) == PinState.PINNING && state(B) == PinState.PINNING);
    t.sync(pins(A, B, C));
    assertEquals(PinState.QUEUED, state(C));
    t.sync(pins(A, B)); // C allocated elsewhere while it waits for a worker
    local.gate.countDown();
    waitFor(() -> state(A) == PinState.PINNED && state(B) == PinState.PINNED);
    waitFor(() -> t.status(C).isEmpty());
    t.sync(pins(A, B, C)); // and back here
    waitFor(() -> state(C) == PinState.PINNED);
    assertEquals(Set.of(A, B, C), local.pinned());
  }

  @Test
  void aPinAllocatedBackWhileItsUnpinRunsIsHeldOnceTheUnpinIsDone() {
    PinTracker t = tracker();
    t.sync(pins(A));
    waitFor(() -> state(A) == PinState.PINNED);
    local.unpinGate = new CountDownLatch(1);
    t.sync(pins());
    waitFor(() -> local.unpinsStarted.get() == 1);
    // Back while the unpin is still running: pinning it now would be undone by that unpin.
    t.sync(pins(A));
    // Whatever that sync started has finished before the unpin may go on.
    waitFor(() -> t.status(A).map(p -> p.state() == PinState.PINNED).orElse(true));
    local.unpinGate.countDown();
    waitFor(() -> reports.stream().anyMatch(r -> r.status() == PinState.UNPINNED));
    waitFor(
        () -> {
          t.sync(pins(A));
          return state(A) == PinState.PINNED;
        });
    assertTrue(local.pinned().contains(A), "the tracker says pinned; the node must hold it");
  }
}
