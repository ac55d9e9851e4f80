package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /** Local pins whose failures the test scripts: fails {@code failuresLeft} times per CID. */
  static final class ScriptedPins implements LocalPins {
    final Set<Cid> pinned = ConcurrentHashMap.newKeySet();
    final Map<Cid, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final Map<Cid, AtomicInteger> attempts = new ConcurrentHashMap<>();
    volatile CountDownLatch gate = new CountDownLatch(0);

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
  private final List<StateRecord> reports = Collections.synchronizedList(new ArrayList<>());
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
    waitFor(() -> local.attempts.get(A).get() == 1 && !local.pinned().contains(A));
    waitFor(() -> t.status(A).isEmpty());
  }
}
