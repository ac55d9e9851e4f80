package dev.tally.exchange.server;

import dev.tally.exchange.message.WantEntry;
import dev.tally.exchange.message.WantType;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One peer's wantlist and the tasks it still needs answered, highest priority first (then oldest).
 * Bounded: at most {@code maxEntries} wants; further new wants are dropped (trimmed) as boxo does.
 * Confined to the exchange context.
 */
final class Ledger {
  /** A want still to be answered; {@code seq} breaks priority ties oldest first. */
  record Task(WantEntry want, long seq) {}

  private static final Comparator<Task> ORDER =
      Comparator.comparingInt((Task t) -> t.want().priority())
          .reversed()
          .thenComparingLong(Task::seq);

  private final int maxEntries;
  private final Map<Multihash, WantEntry> wants = new LinkedHashMap<>();
  private final Map<Multihash, Task> taskIndex = new HashMap<>();
  private final TreeSet<Task> tasks = new TreeSet<>(ORDER);
  private long seq;
  private long trimmed;

  /** Reads of this peer's wants running on worker threads. */
  int reading;

  /** The wants being read: the same want asked again meanwhile needs no second read. */
  private final Map<Multihash, WantEntry> inRead = new HashMap<>();

  /** In the server's round-robin queue. */
  boolean queued;

  /** Waiting for the peer's stream to drain or for the upload cap: start no reads meanwhile. */
  int paused;

  /** Answers read and not yet sent; sent together at the end of the context's current turn. */
  final Outbox outbox = new Outbox();

  Ledger(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Applies one message's wantlist; returns how many new wants were dropped over the limit. */
  int apply(List<WantEntry> entries, boolean full) {
    if (full) {
      wants.clear();
      taskIndex.clear();
      tasks.clear();
    }
    int dropped = 0;
    for (WantEntry e : entries) {
      Multihash mh = e.cid().multihash();
      if (e.cancel()) {
        wants.remove(mh);
        removeTask(mh);
        continue;
      }
      WantEntry held = wants.get(mh);
      if (held == null && wants.size() >= maxEntries) {
        dropped++;
        continue;
      }
      if (held != null && held.type() == WantType.BLOCK && e.type() == WantType.HAVE) {
        // A want-have never downgrades a pending want-block (as boxo): a client re-asking "who
        // has it?" still wants the block from us.
        continue;
      }
      wants.put(mh, e);
      removeTask(mh);
      if (e.equals(inRead.get(mh))) {
        // Clients re-send wants they still hold (Helia does): the read under way answers it.
        continue;
      }
      Task t = new Task(e, seq++);
      tasks.add(t);
      taskIndex.put(mh, t);
    }
    trimmed += dropped;
    return dropped;
  }

  private void removeTask(Multihash mh) {
    Task old = taskIndex.remove(mh);
    if (old != null) {
      tasks.remove(old);
    }
  }

  boolean hasTasks() {
    return !tasks.isEmpty();
  }

  /** Takes up to {@code n} tasks, best first. */
  List<Task> take(int n) {
    List<Task> out = new ArrayList<>(Math.min(n, tasks.size()));
    while (out.size() < n && !tasks.isEmpty()) {
      Task t = tasks.pollFirst();
      taskIndex.remove(t.want().cid().multihash());
      out.add(t);
    }
    return out;
  }

  /** The read of {@code want} starts. */
  void reading(WantEntry want) {
    reading++;
    inRead.put(want.cid().multihash(), want);
  }

  /** The read of {@code want} ended (its answer is given next, if still wanted). */
  void read(WantEntry want) {
    reading--;
    inRead.remove(want.cid().multihash(), want);
  }

  /** Whether {@code want} is still the peer's current want (not cancelled, not replaced). */
  boolean stillWants(WantEntry want) {
    return want.equals(wants.get(want.cid().multihash()));
  }

  /** Nothing wanted, read or waiting to be sent: the ledger can go. */
  boolean idle() {
    return wants.isEmpty() && reading == 0 && paused == 0 && outbox.isEmpty();
  }

  /** The want was answered: forget it unless it was replaced by a newer one meanwhile. */
  void answered(WantEntry want) {
    Multihash mh = want.cid().multihash();
    if (want.equals(wants.get(mh)) && !taskIndex.containsKey(mh)) {
      wants.remove(mh);
    }
  }

  /** Re-queues the want for {@code mh} (a block arrived that the peer wants). */
  boolean wakeUp(Multihash mh) {
    WantEntry e = wants.get(mh);
    if (e == null || taskIndex.containsKey(mh)) {
      return false;
    }
    Task t = new Task(e, seq++);
    tasks.add(t);
    taskIndex.put(mh, t);
    return true;
  }

  Optional<WantEntry> want(Multihash mh) {
    return Optional.ofNullable(wants.get(mh));
  }

  int size() {
    return wants.size();
  }

  List<WantEntry> wants() {
    return List.copyOf(wants.values());
  }

  long trimmed() {
    return trimmed;
  }
}
