package dev.tally.log.sync;

import java.time.Duration;

/**
 * The joins of fetched entries in progress: closing the replication waits for them, so the node
 * never closes its store under a join that is still writing, and no join starts after it.
 */
final class JoinGate {
  private int inside;
  private boolean closed;

  /** Whether a join may start; if so the caller must {@link #exit} when it ends. */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    inside++;
    return true;
  }

  synchronized void exit() {
    inside--;
    notifyAll();
  }

  /**
   * Lets no join start any more and waits up to {@code limit} for those in progress. Blocks: call
   * it off event loops.
   *
   * @return whether none is left in progress
   */
  synchronized boolean close(Duration limit) {
    closed = true;
    long end = System.nanoTime() + limit.toNanos();
    while (inside > 0) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return inside == 0;
      }
    }
    return true;
  }
}
