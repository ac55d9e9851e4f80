package dev.tally.plugin.source;

import dev.tally.blockstore.Blockstore;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.store.HeadsFiles;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lending log plugins follow, read from the repo: the configured log ({@code host.log} in
 * {@code <repo>/plugins/config.json}), or the node's only log when none is configured. It keeps its
 * own replica in step with the heads the node saves (whoever appended or joined): new entries are
 * read from the blockstore and verified again, so plugins see nothing the log would refuse.
 */
final class RepoLendingLog implements Supplier<Optional<Log>> {
  private static final Logger LOG = LoggerFactory.getLogger(RepoLendingLog.class);
  private static final long CHECK_NANOS = 50_000_000;

  private final Blockstore store;
  private final HeadsFiles files;
  private final Optional<Cid> configured;
  private Log log; // guarded by this
  private long checked; // guarded by this
  private boolean warned; // guarded by this

  RepoLendingLog(Blockstore store, HeadsFiles files, Optional<Cid> configured) {
    this.store = store;
    this.files = files;
    this.configured = configured;
  }

  @Override
  public synchronized Optional<Log> get() {
    long now = System.nanoTime();
    if (log != null && now - checked < CHECK_NANOS) {
      return Optional.of(log);
    }
    checked = now;
    Optional<Cid> id = choose();
    if (id.isEmpty()) {
      return Optional.ofNullable(log);
    }
    Optional<List<Cid>> heads = files.heads(id.get());
    if (heads.isEmpty()) {
      return Optional.ofNullable(log);
    }
    if (log == null || !log.id().equals(id.get())) {
      LogManifest manifest =
          LogManifest.fromBlock(
              store
                  .get(id.get())
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "the manifest of log " + id.get() + " is missing")));
      log = Log.open(manifest, store, heads.get());
      LOG.info("plugins follow lending log {}", id.get());
    } else if (!heads.get().equals(log.heads())) {
      log.join(heads.get(), store::get);
    }
    return Optional.of(log);
  }

  private Optional<Cid> choose() {
    List<Cid> held = files.logs();
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
