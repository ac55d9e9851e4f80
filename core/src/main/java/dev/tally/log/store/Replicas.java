package dev.tally.log.store;

import dev.tally.blockstore.Blockstore;
import dev.tally.log.Log;
import dev.tally.log.LogException;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The replicas a node holds: entries and manifests in its blockstore, heads in {@link HeadsFiles}.
 * Each log is opened once and shared, so appends, joins from peers and readers all see one replica;
 * heads are saved after the entries they name are stored. Methods may block (disk): call them from
 * worker threads.
 */
public final class Replicas {
  private final Blockstore store;
  private final HeadsFiles files;
  private final Map<Cid, Log> open = new HashMap<>();

  public Replicas(Blockstore store, HeadsFiles files) {
    this.store = store;
    this.files = files;
  }

  /** The ids of the logs this node holds. */
  public List<Cid> ids() {
    return files.logs();
  }

  /** Starts a new log from {@code manifest} and saves its (empty) heads. */
  public synchronized Log create(LogManifest manifest) {
    if (files.heads(manifest.cid()).isPresent()) {
      throw new LogException("this node already holds log " + manifest.cid());
    }
    Log log = Log.create(manifest, store);
    files.save(log.id(), log.heads());
    open.put(log.id(), log);
    return log;
  }

  /**
   * Starts holding the log named by {@code manifest}, empty until peers send entries; returns the
   * replica already held if there is one.
   */
  public synchronized Log join(LogManifest manifest) {
    Optional<Log> held = get(manifest.cid());
    if (held.isPresent()) {
      return held.get();
    }
    Log log = Log.create(manifest, store);
    files.save(log.id(), log.heads());
    open.put(log.id(), log);
    return log;
  }

  /** The replica of {@code id}, opened from its saved heads on first use, if this node holds it. */
  public synchronized Optional<Log> get(Cid id) {
    Log log = open.get(id);
    if (log != null) {
      return Optional.of(log);
    }
    Optional<List<Cid>> heads = files.heads(id);
    if (heads.isEmpty()) {
      return Optional.empty();
    }
    LogManifest manifest =
        LogManifest.fromBlock(
            store
                .get(id)
                .orElseThrow(
                    () ->
                        new LogException(
                            "the manifest of log " + id + " is missing from the blockstore")));
    log = Log.open(manifest, store, heads.get());
    open.put(id, log);
    return Optional.of(log);
  }

  /** As {@link #get}, failing with an actionable message when this node does not hold the log. */
  public Log require(Cid id) {
    return get(id)
        .orElseThrow(
            () ->
                new LogException(
                    "this node does not hold log "
                        + id
                        + " (create it with 'tally log create' or join it with 'tally log join')"));
  }

  /**
   * The heads of every replica opened so far, by log id, each read under its log's lock: appends
   * and joins store their entries and move the heads under that lock, so an entry stored before
   * this call is reachable from what it returns (garbage collection reads it, ADR 026).
   */
  public synchronized Map<Cid, List<Cid>> openHeads() {
    Map<Cid, List<Cid>> out = new TreeMap<>();
    for (Log log : open.values()) {
      synchronized (log) {
        out.put(log.id(), log.heads());
      }
    }
    return out;
  }

  /** Saves {@code log}'s current heads (after its entries are stored), atomically. */
  public synchronized void save(Log log) {
    files.save(log.id(), log.heads());
  }
}
