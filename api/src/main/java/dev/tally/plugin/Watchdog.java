package dev.tally.plugin;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Times every call into plugin code. A call that overruns its limit is reported once, from the
 * watchdog's thread, so the host can fail the plugin without waiting for the call; ticking every
 * {@value #TICK_MS} ms costs nothing per call beyond a set insertion.
 */
final class Watchdog implements AutoCloseable {
  static final long TICK_MS = 50;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tally-plugin-watchdog");
            t.setDaemon(true);
            return t;
          });
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();

  Watchdog() {
    timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  /** A call in progress. */
  static final class Call {
    private final String what;
    private final Duration limit;
    private final long deadline;
    private final Consumer<String> onOverrun;

    private Call(String what, Duration limit, Consumer<String> onOverrun) {
      this.what = what;
      this.limit = limit;
      this.deadline = System.nanoTime() + limit.toNanos();
      this.onOverrun = onOverrun;
    }
  }

  /** Starts timing {@code what}; {@code onOverrun} gets the reason if it overruns {@code limit}. */
  Call begin(String what, Duration limit, Consumer<String> onOverrun) {
    Call c = new Call(what, limit, onOverrun);
    calls.add(c);
    return c;
  }

  /** Ends a call; false when it had already been reported as overrun. */
  boolean end(Call call) {
    return calls.remove(call);
  }

  private void tick() {
    long now = System.nanoTime();
    for (Call c : calls) {
      if (now - c.deadline > 0 && calls.remove(c)) {
        try {
          c.onOverrun.accept(c.what + " did not return within " + c.limit.toMillis() + " ms");
        } catch (RuntimeException e) {
          // The handler logs; a failure here must not stop the watchdog for everyone else.
        }
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
