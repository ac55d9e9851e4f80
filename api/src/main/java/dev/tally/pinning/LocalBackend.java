package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import dev.tally.node.FetchingPinner;
import dev.tally.node.Node;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinType;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins on this node: each wanted CID is fetched (from peers when it is not local) and pinned
 * recursively by one of two worker threads, under a name starting {@value #PREFIX}, so the service
 * releases only the pins it made and never one a user made by hand (a CID already pinned
 * recursively counts as held and is left alone). A failed pin is retried after 5 s, doubling per
 * failure up to 10 minutes (as the cluster's tracker does), or at once when a new request asks for
 * it. Thread-safe.
 */
final class LocalBackend implements PinBackend {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);

  /** Names of the recursive pins this backend made. */
  static final String PREFIX = "tally-pinning-service:";

  /** Pins fetched at once; more wait queued. */
  private static final int WORKERS = 2;

  static final long RETRY_BASE_MILLIS = 5_000;
  static final long RETRY_MAX_MILLIS = 600_000;

  /** A failed CID's consecutive failures and when it is tried again. */
  private record Failures(int count, long retryAt) {}

  private final Node node;
  private final Supplier<List<String>> addresses;
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          WORKERS,
          r -> {
            Thread t = new Thread(r, "tally-pinning-local");
            t.setDaemon(true);
            return t;
          });
  private final Map<Cid, Progress> states = new HashMap<>();
  private final Set<Cid> inFlight = new HashSet<>();
  private final Map<Cid, Failures> failures = new HashMap<>();
  private Set<Cid> wanted = Set.of();
  private Optional<Set<Cid>> owned = Optional.empty();
  private boolean closed;

  /**
   * @param addresses this node's multiaddrs with {@code /p2p/}, the delegates
   */
  LocalBackend(Node node, Supplier<List<String>> addresses) {
    this.node = node;
    this.addresses = addresses;
  }

  /** The pins this backend made, read once from the pinner (by their names), then kept. */
  private synchronized Set<Cid> owned() {
    if (owned.isEmpty()) {
      Set<Cid> out = new HashSet<>();
      for (Pin p : node.pins().ls(Optional.of(PinType.RECURSIVE))) {
        if (p.name().startsWith(PREFIX)) {
          out.add(p.cid());
        }
      }
      owned = Optional.of(out);
    }
    return owned.get();
  }

  @Override
  public Map<Cid, Progress> reconcile(Map<Cid, Want> want) {
    Map<Cid, Progress> out = new HashMap<>();
    synchronized (this) {
      wanted = Set.copyOf(want.keySet());
      Set<Cid> mine = owned();
      long now = System.currentTimeMillis();
      for (Want w : want.values()) {
        Progress p = states.get(w.cid());
        Failures f = failures.get(w.cid());
        if (p != null
            && p.status() == PinRequest.Status.FAILED
            && f != null
            && now >= f.retryAt()
            && inFlight.add(w.cid())) {
          workers.execute(() -> pin(w));
        } else if (p == null) {
          if (mine.contains(w.cid()) || pinnedRecursively(w.cid())) {
            p = new Progress(PinRequest.Status.PINNED, "");
          } else {
            p = new Progress(PinRequest.Status.QUEUED, "");
            inFlight.add(w.cid());
            workers.execute(() -> pin(w));
          }
          states.put(w.cid(), p);
        }
        out.put(w.cid(), p);
      }
      states.keySet().retainAll(wanted);
      failures.keySet().retainAll(wanted);
    }
    release(wanted);
    return out;
  }

  @Override
  public void retain(Set<Cid> keep) {
    synchronized (this) {
      wanted = Set.copyOf(keep);
      states.keySet().retainAll(wanted);
    }
    release(keep);
  }

  @Override
  public synchronized void retry(Collection<Cid> cids) {
    for (Cid c : cids) {
      Progress p = states.get(c);
      if (p != null && p.status() == PinRequest.Status.FAILED) {
        states.remove(c);
        failures.remove(c);
      }
    }
  }

  @Override
  public List<String> delegates() {
    List<String> all = addresses.get();
    return all.subList(0, Math.min(20, all.size()));
  }

  private boolean pinnedRecursively(Cid cid) {
    return node.pins().status(List.of(cid)).get(cid).type().equals(Optional.of(PinType.RECURSIVE));
  }

  /** Unpins the pins this backend made that are not in {@code keep} (nor being made). */
  private void release(Set<Cid> keep) {
    List<Cid> drop;
    synchronized (this) {
      drop = owned().stream().filter(c -> !keep.contains(c) && !inFlight.contains(c)).toList();
      drop.forEach(owned.get()::remove);
    }
    for (Cid c : drop) {
      try {
        node.pins().rm(c, true);
      } catch (RuntimeException e) {
        LOG.warn("pinning service: cannot release its pin of {}: {}", c, e.getMessage());
      }
    }
  }

  private void pin(Want w) {
    synchronized (this) {
      if (closed || !wanted.contains(w.cid())) {
        inFlight.remove(w.cid());
        states.remove(w.cid());
        return; // deleted while queued
      }
      states.put(w.cid(), new Progress(PinRequest.Status.PINNING, ""));
    }
    Progress outcome;
    boolean made = false;
    try {
      if (!pinnedRecursively(w.cid())) {
        // Fetched and pinned under one lease: a GC during the fetch keeps what came (ADR 029).
        FetchingPinner.of(node).add(w.cid(), true, PREFIX + w.name());
        made = true;
      }
      outcome = new Progress(PinRequest.Status.PINNED, "");
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      outcome = new Progress(PinRequest.Status.FAILED, why);
      LOG.info("pinning service: pin of {} failed: {}", w.cid(), why);
    }
    synchronized (this) {
      inFlight.remove(w.cid());
      if (outcome.status() == PinRequest.Status.FAILED) {
        int n = failures.containsKey(w.cid()) ? failures.get(w.cid()).count() + 1 : 1;
        long wait = Math.min(RETRY_MAX_MILLIS, RETRY_BASE_MILLIS << Math.min(n - 1, 20));
        failures.put(w.cid(), new Failures(n, System.currentTimeMillis() + wait));
        outcome =
            new Progress(
                PinRequest.Status.FAILED,
                outcome.details() + " (attempt " + n + "; retried in " + wait / 1000 + " s)");
      } else {
        failures.remove(w.cid());
      }
      if (made) {
        owned().add(w.cid());
      }
      if (wanted.contains(w.cid())) {
        states.put(w.cid(), outcome);
      }
    }
  }

  /**
   * Starts no more pins and waits up to 10 s for those in flight; one still fetching then fails
   * when the exchange closes. No interrupts: one landing in a write to the repo's store would close
   * its file channel.
   */
  void close() {
    synchronized (this) {
      closed = true;
    }
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
