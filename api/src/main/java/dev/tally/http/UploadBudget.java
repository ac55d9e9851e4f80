package dev.tally.http;

import dev.tally.storage.repo.HttpSection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all of one server's streamed uploads may hold between the socket and their importers
 * ({@code HTTP.UploadBudget}, ADR 041). Each upload ({@link MultipartReader}) pauses its request
 * when it holds more than {@link #limit()}:
 *
 * <ul>
 *   <li>every upload may hold its minimal window, whatever the others hold, so none starves: the
 *       budget sets aside a window for each upload the server can run at once ({@code
 *       HTTP.MaxConcurrentRequests});
 *   <li>the rest of the budget is shared among the uploads that hold bytes now: each may hold its
 *       window plus an equal part of the rest, up to the per-upload read-ahead, so an upload alone
 *       keeps its whole read-ahead when the budget allows it;
 *   <li>while the uploads together hold more than the rest beyond their windows (a share granted
 *       before more uploads came), every upload is held to its window until they have drained.
 * </ul>
 *
 * <p>So the total stays under the budget, give or take the last piece each upload received before
 * its pause took hold (one socket read each). Thread-safe: uploads account from their event loops
 * and worker threads.
 */
public final class UploadBudget {
  /** The window every upload keeps, or its whole read-ahead if that is smaller. */
  public static final int MIN_WINDOW = HttpSection.MIN_UPLOAD_WINDOW;

  private final long budget;
  private final long readAhead;
  private final long window;
  private final long rest;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong beyondWindows = new AtomicLong();
  private final AtomicInteger holders = new AtomicInteger();
  private final AtomicLong peak = new AtomicLong();

  /**
   * @param budget bytes all uploads may hold together
   * @param readAhead bytes one upload may hold at most (less when the budget is smaller)
   * @param maxUploads uploads that can run at once, each of which keeps its window
   */
  public UploadBudget(long budget, long readAhead, int maxUploads) {
    if (budget < 1 || readAhead < 1 || maxUploads < 1) {
      throw new IllegalArgumentException(
          "upload budget, read-ahead and uploads must be positive: "
              + budget
              + ", "
              + readAhead
              + ", "
              + maxUploads);
    }
    this.budget = budget;
    this.readAhead = Math.min(readAhead, budget);
    this.window = Math.min(MIN_WINDOW, Math.min(this.readAhead, budget / maxUploads));
    this.rest = budget - maxUploads * window;
  }

  /** A budget for one upload alone: it may hold {@code readAhead}. */
  public static UploadBudget unshared(long readAhead) {
    return new UploadBudget(readAhead, readAhead, 1);
  }

  /** Bytes held by all uploads now. */
  public long held() {
    return held.get();
  }

  /** The most bytes all uploads held at once so far. */
  public long peak() {
    return peak.get();
  }

  /** The budget in bytes. */
  public long budget() {
    return budget;
  }

  /** How much one upload may hold now before its request is paused. */
  long limit() {
    if (beyondWindows.get() > rest) {
      return window;
    }
    return Math.min(readAhead, window + rest / Math.max(1, holders.get()));
  }

  /** One upload's holding changed from {@code before} to {@code after} bytes. */
  void moved(long before, long after) {
    if (before == after) {
      return;
    }
    long now = held.addAndGet(after - before);
    if (after > before) {
      peak.accumulateAndGet(now, Math::max);
    }
    long beyond = Math.max(0, after - window) - Math.max(0, before - window);
    if (beyond != 0) {
      beyondWindows.addAndGet(beyond);
    }
    if (before == 0) {
      holders.incrementAndGet();
    } else if (after == 0) {
      holders.decrementAndGet();
    }
  }
}
