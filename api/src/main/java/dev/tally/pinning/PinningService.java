package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.PinningSection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pin requests per user, and the loop that carries them out (ADR 022). Requests are kept in a
 * {@link RequestStore}; the set of CIDs they want (each live request's CID, plus the CIDs of the
 * requests it replaced until it is pinned) is handed to the active {@link PinBackend} — the cluster
 * when this node is a member (or {@code PinningService.Backend} says so), else this node — on every
 * change and every second, and each request takes the progress of its CID. Several requests, of one
 * user or many, may want one CID: it stays pinned until the last of them is deleted. All methods
 * may block on the store: call them off event loops. Thread-safe.
 */
public final class PinningService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PinningService.class);

  /** How often requests not yet pinned are brought up to date when nothing else changes. */
  static final long TICK_MILLIS = 1000;

  private final RequestStore store;
  private final LocalBackend local;
  private final ClusterBackend cluster;
  private final Supplier<PinningSection> config;
  private final Consumer<List<String>> dialOrigins;
  private final Map<String, PinRequest> byId = new HashMap<>();
  private final Map<String, NavigableMap<Instant, PinRequest>> byUser = new HashMap<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tally-pinning");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean kicked = new AtomicBoolean();
  private Instant lastCreated = Instant.EPOCH;

  /**
   * Opens the service of the repo in {@code dir} (its requests in {@value RequestStore#FILE}).
   *
   * @param node this node, whose pins the local backend uses
   * @param cluster the cluster this node is a member of now, if any
   * @param config the {@code PinningService} config section (read per use: changes apply at once)
   * @param selfAddresses this node's multiaddrs with {@code /p2p/}
   * @param peerAddresses another peer's known multiaddrs with {@code /p2p/}
   * @param dialOrigins connects (in the background, best effort) to a request's origins
   */
  public static PinningService open(
      java.nio.file.Path dir,
      dev.tally.node.Node node,
      Supplier<Optional<dev.tally.cluster.Cluster>> cluster,
      Supplier<PinningSection> config,
      Supplier<List<String>> selfAddresses,
      java.util.function.Function<dev.tally.crypto.PeerId, List<String>> peerAddresses,
      Consumer<List<String>> dialOrigins) {
    PinningSection c = config.get();
    RequestStore store = RequestStore.open(dir, c.replicationMin(), c.replicationMax());
    return new PinningService(
        store,
        new LocalBackend(node, selfAddresses),
        new ClusterBackend(cluster, selfAddresses, peerAddresses),
        config,
        dialOrigins);
  }

  /**
   * @param dialOrigins connects (in the background, best effort) to a request's origins, the
   *     provider hints of the spec
   */
  PinningService(
      RequestStore store,
      LocalBackend local,
      ClusterBackend cluster,
      Supplier<PinningSection> config,
      Consumer<List<String>> dialOrigins) {
    this.store = store;
    this.local = local;
    this.cluster = cluster;
    this.config = config;
    this.dialOrigins = dialOrigins;
    PinningSection c = config.get();
    for (PinRequest r : store.all(c.replicationMin(), c.replicationMax())) {
      index(r);
      if (r.created().isAfter(lastCreated)) {
        lastCreated = r.created();
      }
    }
    loop.scheduleWithFixedDelay(this::reconcileSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void index(PinRequest r) {
    byId.put(r.requestId(), r);
    byUser.computeIfAbsent(r.user(), u -> new TreeMap<>()).put(r.created(), r);
  }

  private void unindex(PinRequest r) {
    byId.remove(r.requestId());
    NavigableMap<Instant, PinRequest> mine = byUser.get(r.user());
    if (mine != null) {
      mine.remove(r.created());
      if (mine.isEmpty()) {
        byUser.remove(r.user());
      }
    }
  }

  /** Queues a new request and starts carrying it out. */
  public PinRequest add(String user, Pin pin) {
    PinRequest r;
    synchronized (this) {
      r = fresh(user, pin, List.of());
      store.putAll(List.of(r));
      index(r);
    }
    started(r);
    return r;
  }

  private PinRequest fresh(String user, Pin pin, List<String> holds) {
    Pin.parseCid(pin.cid());
    PinningSection c = config.get();
    Pin.Replication f = pin.replication(c.replicationMin(), c.replicationMax());
    return new PinRequest(
        UUID.randomUUID().toString(),
        user,
        pin,
        PinRequest.Status.QUEUED,
        nextCreated(),
        "",
        f.min(),
        f.max(),
        holds);
  }

  private void started(PinRequest r) {
    if (!r.pin().origins().isEmpty()) {
      dialOrigins.accept(r.pin().origins());
    }
    Cid cid = Pin.parseCid(r.cid());
    active().retry(List.of(cid));
    kick();
  }

  /** Strictly increasing creation times, so paging by {@code before} never skips or repeats. */
  private Instant nextCreated() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
    return lastCreated;
  }

  public synchronized Optional<PinRequest> get(String user, String requestId) {
    PinRequest r = byId.get(requestId);
    return r != null && r.user().equals(user) ? Optional.of(r) : Optional.empty();
  }

  /** The number of matches and the first {@code limit} of them, newest first. */
  public synchronized Map.Entry<Integer, List<PinRequest>> list(String user, PinQuery query) {
    NavigableMap<Instant, PinRequest> mine = byUser.getOrDefault(user, new TreeMap<>());
    NavigableMap<Instant, PinRequest> range = mine.descendingMap();
    if (query.before().isPresent()) {
      range = range.tailMap(query.before().get(), false);
    }
    if (query.after().isPresent()) {
      range = range.headMap(query.after().get(), false);
    }
    int count = 0;
    List<PinRequest> page = new ArrayList<>();
    for (PinRequest r : range.values()) {
      if (query.matches(r)) {
        count++;
        if (page.size() < query.limit()) {
          page.add(r);
        }
      }
    }
    return Map.entry(count, List.copyOf(page));
  }

  /**
   * Replaces a request by a new one (a new id) in one step: the old request is gone at once, but
   * its pin stays until the new one is pinned, so blocks both DAGs share are never unpinned.
   */
  public PinRequest replace(String user, String requestId, Pin pin) {
    PinRequest fresh;
    synchronized (this) {
      PinRequest old = get(user, requestId).orElseThrow(() -> new NotFoundException(requestId));
      // A pinned request holds nothing more; one still pending passes on what it holds.
      List<String> holds = new ArrayList<>(old.holds());
      if (!holds.contains(old.cid())) {
        holds.add(old.cid());
      }
      holds.remove(pin.cid());
      fresh = fresh(user, pin, holds);
      store.swap(fresh, old.requestId());
      unindex(old);
      index(fresh);
    }
    started(fresh);
    return fresh;
  }

  /** Removes a request; its CID stays pinned while any other request wants it. */
  public void delete(String user, String requestId) {
    synchronized (this) {
      PinRequest r = get(user, requestId).orElseThrow(() -> new NotFoundException(requestId));
      store.remove(requestId);
      unindex(r);
    }
    kick();
  }

  /** Runs a reconcile soon on the service's thread (at most one waits). */
  private void kick() {
    if (kicked.compareAndSet(false, true)) {
      try {
        loop.execute(this::reconcileSafely);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        kicked.set(false); // closing
      }
    }
  }

  /** The backend carrying out pins now, as {@code PinningService.Backend} decides. */
  private PinBackend active() {
    return switch (config.get().backend()) {
      case "local" -> local;
      case "cluster" -> cluster;
      default -> cluster.available() ? cluster : local;
    };
  }

  private void reconcileSafely() {
    kicked.set(false);
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.warn("pinning service: reconcile failed: {}", e.getMessage(), e);
    }
  }

  /** Hands the wanted CIDs to the active backend and takes its progress into the requests. */
  void reconcile() {
    Map<Cid, PinBackend.Want> wanted = new HashMap<>();
    synchronized (this) {
      List<PinRequest> oldestFirst = new ArrayList<>();
      byUser.values().forEach(m -> oldestFirst.addAll(m.values()));
      oldestFirst.sort(java.util.Comparator.comparing(PinRequest::created));
      for (PinRequest r : oldestFirst) {
        want(wanted, Pin.parseCid(r.cid()), r, true);
        for (String held : r.holds()) {
          want(wanted, Pin.parseCid(held), r, false);
        }
      }
    }
    PinBackend active = active();
    Map<Cid, PinBackend.Progress> progress = active.reconcile(wanted);
    Set<Cid> notYet = new HashSet<>();
    progress.forEach(
        (cid, p) -> {
          if (p.status() != PinRequest.Status.PINNED) {
            notYet.add(cid);
          }
        });
    // The other backend keeps what it holds until the active one holds it (a backend switch).
    (active == local ? cluster : local).retain(notYet);
    boolean released = false;
    synchronized (this) {
      List<PinRequest> changed = new ArrayList<>();
      for (PinRequest r : List.copyOf(byId.values())) {
        PinBackend.Progress p = progress.get(Pin.parseCid(r.cid()));
        if (p == null || r.status() == PinRequest.Status.PINNED && p.details().isEmpty()) {
          continue; // a pinned request whose progress was not looked up keeps what it says
        }
        if (p.status() != r.status() || !p.details().equals(r.details())) {
          PinRequest next = r.with(p.status(), p.details());
          released |= next.holds().size() < r.holds().size();
          unindex(r);
          index(next);
          changed.add(next);
        }
      }
      store.putAll(changed);
    }
    if (released) {
      kick(); // release the replaced pins now rather than at the next tick
    }
  }

  private static void want(
      Map<Cid, PinBackend.Want> wanted, Cid cid, PinRequest r, boolean forItself) {
    boolean pending = forItself && r.status() != PinRequest.Status.PINNED;
    PinBackend.Want w = wanted.get(cid);
    wanted.put(
        cid,
        w == null
            ? new PinBackend.Want(cid, r.pin().name(), r.min(), r.max(), pending)
            : new PinBackend.Want(
                cid,
                w.name(),
                Math.max(w.min(), r.min()),
                Math.max(w.max(), r.max()),
                w.pending() || pending));
  }

  /** The delegates of the active backend. */
  public List<String> delegates() {
    return active().delegates();
  }

  @Override
  public void close() {
    // No interrupts: one landing in a write to the repo's store would close its file channel.
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    local.close();
    store.close();
  }

  /** No request with that id for that user. */
  public static final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String requestId) {
      super("no pin request " + requestId);
    }
  }
}
