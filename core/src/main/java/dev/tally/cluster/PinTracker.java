package dev.tally.cluster;

import dev.tally.multiformats.Cid;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Makes this node hold what the allocation gives it: {@link #sync} queues the pins allocated here
 * and unpins those no longer allocated; a pool of {@code concurrency} workers pins each (fetching
 * through the exchange). A failure is retried with exponential back-off, or at once by {@link
 * #recover}. Outcomes (pinned, failed, unpinned) go to {@code report}, which logs them for the
 * other members. Thread-safe; never blocks its callers on a pin.
 */
public final class PinTracker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PinTracker.class.getName());

  private final LocalPins local;
  private final TrackerOptions options;
  private final LongSupplier clock;
  private final Consumer<List<StateRecord>> report;
  private final ExecutorService workers;
  private final Map<Cid, Slot> slots = new HashMap<>();
  // CIDs whose unpin is queued or running. They are not queued for a pin until it has run: another
  // worker could otherwise pin the CID first and then see the old unpin undo it, leaving a pin the
  // tracker calls pinned that the node no longer holds.
  private final Set<Cid> unpinning = new HashSet<>();
  private boolean closed;

  /** Mutable per-pin state, guarded by the tracker's lock. */
  private static final class Slot {
    PinRecord pin;
    PinState state;
    int failures;
    String error = "";
    long retryAt;
    boolean wanted = true;

    Slot(PinRecord pin, PinState state) {
      this.pin = pin;
      this.state = state;
    }
  }

  /**
   * A tracker that starts from what {@code local} already holds for the cluster (all pinned).
   *
   * @param clock milliseconds now, for retry times
   * @param report receives outcomes to publish; called outside the tracker's lock
   */
  public PinTracker(
      LocalPins local,
      TrackerOptions options,
      LongSupplier clock,
      Consumer<List<StateRecord>> report) {
    this.local = local;
    this.options = options;
    this.clock = clock;
    this.report = report;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "tally-cluster-pin-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.workers = Executors.newFixedThreadPool(options.concurrency(), threads);
    for (Cid cid : local.pinned()) {
      slots.put(cid, new Slot(PinRecord.of(cid, "", 1, 1), PinState.PINNED));
    }
  }

  /**
   * Brings this node in line with {@code mine}, the pins allocated to it: queues new ones, retries
   * failed ones whose back-off has passed, and unpins the ones it holds that are no longer its.
   */
  public void sync(Map<Cid, PinRecord> mine) {
    List<Cid> toUnpin = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      long now = clock.getAsLong();
      for (PinRecord pin : mine.values()) {
        Slot s = slots.get(pin.cid());
        if (s == null) {
          if (unpinning.contains(pin.cid())) {
            continue; // queued by the first sync after its unpin has run
          }
          s = new Slot(pin, PinState.QUEUED);
          slots.put(pin.cid(), s);
          submit(s);
        } else {
          s.pin = pin;
          s.wanted = true;
          if (s.state == PinState.FAILED && now >= s.retryAt) {
            s.state = PinState.QUEUED;
            submit(s);
          }
        }
      }
      for (Slot s : slots.values()) {
        if (!mine.containsKey(s.pin.cid())) {
          s.wanted = false;
          // One in flight finishes first; its worker sees it is unwanted and unpins it.
          if (s.state != PinState.PINNING && s.state != PinState.QUEUED) {
            toUnpin.add(s.pin.cid());
          }
        }
      }
      toUnpin.forEach(slots::remove);
      unpinning.addAll(toUnpin);
    }
    for (Cid cid : toUnpin) {
      workers.execute(() -> unpin(cid));
    }
  }

  /**
   * Retries {@code cid} at once if it failed (resetting its back-off).
   *
   * @return its status after the call, empty when it is not allocated here
   */
  public synchronized Optional<TrackedPin> recover(Cid cid) {
    Slot s = slots.get(cid);
    if (s != null && s.state == PinState.FAILED && s.wanted && !closed) {
      s.failures = 0;
      s.state = PinState.QUEUED;
      submit(s);
    }
    return status(cid);
  }

  /** This node's status for {@code cid}, empty when it neither holds nor wants it. */
  public synchronized Optional<TrackedPin> status(Cid cid) {
    Slot s = slots.get(cid);
    return s == null ? Optional.empty() : Optional.of(view(s));
  }

  /** Every tracked pin. */
  public synchronized List<TrackedPin> all() {
    return slots.values().stream().map(PinTracker::view).toList();
  }

  private static TrackedPin view(Slot s) {
    return new TrackedPin(s.pin.cid(), s.state, s.failures, s.error);
  }

  private void submit(Slot s) {
    workers.execute(() -> pin(s));
  }

  private void pin(Slot s) {
    PinRecord pin;
    synchronized (this) {
      if (closed || s.state != PinState.QUEUED) {
        return;
      }
      if (!s.wanted) {
        // Allocated elsewhere while it waited: forget it, so that an allocation back here queues it
        // again. Left QUEUED, a sync that wants it again would take it for queued and never pin it.
        if (slots.get(s.pin.cid()) == s) {
          slots.remove(s.pin.cid());
        }
        return;
      }
      s.state = PinState.PINNING;
      pin = s.pin;
    }
    Optional<String> error;
    try {
      local.pin(pin.cid(), pin.name());
      error = Optional.empty();
    } catch (RuntimeException e) {
      error = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    boolean unwanted;
    boolean tell;
    StateRecord outcome;
    synchronized (this) {
      unwanted = !s.wanted;
      if (error.isEmpty()) {
        s.state = PinState.PINNED;
        s.failures = 0;
        s.error = "";
        outcome = new StateRecord(pin.cid(), PinState.PINNED, "");
      } else {
        s.state = PinState.FAILED;
        s.failures++;
        s.error = error.get();
        s.retryAt = clock.getAsLong() + options.backoff(s.failures).toMillis();
        outcome = new StateRecord(pin.cid(), PinState.FAILED, error.get());
        LOG.log(
            Level.INFO,
            "cluster pin {0} failed (attempt {1}): {2}",
            pin.cid(),
            s.failures,
            error.get());
      }
      // Repeated failures of one pin are reported once, not once per retry.
      tell = error.isEmpty() || s.failures == 1;
      if (unwanted) {
        if (slots.get(pin.cid()) == s) {
          slots.remove(pin.cid());
        }
        unpinning.add(pin.cid());
      }
    }
    if (unwanted) {
      unpin(pin.cid());
    } else if (tell) {
      report.accept(List.of(outcome));
    }
  }

  private void unpin(Cid cid) {
    try {
      local.unpin(cid);
      report.accept(List.of(new StateRecord(cid, PinState.UNPINNED, "")));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "cannot unpin {0} that is no longer allocated here: {1}",
          cid,
          e.getMessage());
    } finally {
      synchronized (this) {
        unpinning.remove(cid);
      }
    }
  }

  /**
   * Stops the workers: pins in flight get 5 s to finish, then are interrupted and abandoned (each
   * stays unpinned or pinned, never half). Not interrupted at once: an interrupt during a write to
   * the repo's H2 files closes their channel for the whole store.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
