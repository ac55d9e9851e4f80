package dev.tally.plugin.source;

import dev.tally.log.Log;
import dev.tally.log.store.Replicas;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lending log plugins follow: the configured log ({@code host.log} in {@code
 * <repo>/plugins/config.json}), or the node's only log when none is configured. It is the node's
 * own replica (shared with appends and replication), so plugins see an entry as soon as the node
 * holds it. Which log that is, is looked up again at most every 50 ms (a log created or joined
 * while the daemon runs is picked up).
 */
final class RepoLendingLog implements Supplier<Optional<Log>> {
  private static final Logger LOG = LoggerFactory.getLogger(RepoLendingLog.class);
  private static final long CHECK_NANOS = 50_000_000;

  private final Replicas replicas;
  private final Optional<Cid> configured;
  private Log log; // guarded by this
  private long checked; // guarded by this
  private boolean warned; // guarded by this

  RepoLendingLog(Replicas replicas, Optional<Cid> configured) {
    this.replicas = replicas;
    this.configured = configured;
  }

  @Override
  public synchronized Optional<Log> get() {
    long now = System.nanoTime();
    if (log != null && now - checked < CHECK_NANOS) {
      return Optional.of(log);
    }
    checked = now;
    Optional<Log> chosen = choose().flatMap(replicas::get);
    if (chosen.isPresent() && chosen.get() != log) {
      log = chosen.get();
      LOG.info("plugins follow lending log {}", log.id());
    }
    return Optional.ofNullable(log);
  }

  private Optional<Cid> choose() {
    List<Cid> held = replicas.ids();
    if (configured.isPresent()) {
      return held.contains(configured.get()) ? configured : Optional.empty();
    }
    if (held.size() == 1) {
      return Optional.of(held.get(0));
    }
    if (held.size() > 1 && !warned) {
      warned = true;
      LOG.warn(
          "this node holds {} logs; set host.log in plugins/config.json to the lending log"
              + " plugins should follow",
          held.size());
    }
    return Optional.empty();
  }
}
