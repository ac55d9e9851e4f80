package dev.tally.plugin.source;

import dev.tally.lending.state.Flagged;
import dev.tally.lending.state.LendingEntry;
import dev.tally.lending.state.LendingFold;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.LendingSource;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugins' view of one lending log: its verified entries, and the lending state folded from them
 * ({@link LendingFold}, fed only the entries new since the last fold). The heads are checked before
 * every read and by a poller, so a plugin sees an append or a join from a peer at its next query
 * and gets new entries delivered within one poll.
 */
public final class LogLendingSource implements LendingSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogLendingSource.class);

  private final Supplier<Optional<Log>> logs;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;
  private final Object lock = new Object();

  private Log log; // guarded by lock
  private LendingFold fold = new LendingFold(); // guarded by lock
  private List<Cid> folded = List.of(); // guarded by lock
  private volatile FoldedSnapshot snapshot;
  private volatile Map<Cid, String> flags = Map.of();

  /**
   * @param logs the lending log, looked up on every poll (empty while the node holds none)
   * @param pollMillis how often to look for new heads
   */
  public LogLendingSource(Supplier<Optional<Log>> logs, long pollMillis) {
    this.logs = logs;
    this.snapshot = new FoldedSnapshot(LendingFold.fold(List.of(), List.of()));
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tally-plugin-source");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      if (refresh()) {
        listeners.forEach(Runnable::run);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot fold the lending log for plugins: {}", e.getMessage());
    }
  }

  /** Folds the entries new since the last fold; true when the heads moved. */
  boolean refresh() {
    Optional<Log> current = logs.get();
    synchronized (lock) {
      if (current.isEmpty()) {
        return false;
      }
      Log l = current.get();
      if (l != log) {
        // Another log (or the first one): start over.
        log = l;
        fold = new LendingFold();
        folded = List.of();
      }
      List<Cid> heads = l.heads();
      if (heads.equals(folded)) {
        return false;
      }
      List<LendingEntry> batch = new ArrayList<>();
      try (Stream<Entry> delta = l.traverse(heads, folded)) {
        delta.forEach(e -> batch.add(LendingEntry.of(e)));
      }
      fold.addAll(batch);
      FoldedSnapshot s = new FoldedSnapshot(fold.state(heads));
      Map<Cid, String> f = new HashMap<>();
      for (Flagged x : s.state().flagged()) {
        f.put(x.entry(), x.kind() + ": " + x.reason());
      }
      flags = Map.copyOf(f);
      snapshot = s;
      folded = heads;
      return true;
    }
  }

  private Optional<Log> current() {
    synchronized (lock) {
      return Optional.ofNullable(log);
    }
  }

  @Override
  public LendingSnapshot snapshot() {
    refresh();
    // A log with no entries has no business date yet (the fold says 1970-01-01): show today's.
    FoldedSnapshot s = snapshot;
    return current().isPresent() && s.state().entries() > 0
        ? s
        : new EmptyLendingSource().snapshot();
  }

  @Override
  public RecordQuery records() {
    refresh();
    return current()
        .<RecordQuery>map(l -> new LogRecords(l, c -> Optional.ofNullable(flags.get(c))))
        .orElseGet(EmptyLendingSource::new);
  }

  @Override
  public Stream<VerifiedEntry> entriesAfter(Heads from) {
    // Fold first, so every entry delivered carries its flag.
    refresh();
    return current()
        .map(l -> new LogRecords(l, c -> Optional.ofNullable(flags.get(c))).after(from))
        .orElseGet(() -> new EmptyLendingSource().entriesAfter(from));
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
