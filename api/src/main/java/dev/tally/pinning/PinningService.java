package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import dev.tally.node.FetchingBlockstore;
import dev.tally.node.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pin requests per user, kept in {@code <repo>/pinning-service.json} (rewritten atomically on every
 * change) and carried out on this node: a request is queued, then pinning while a worker fetches
 * the DAG (from peers when it is not local) and pins it recursively, then pinned or failed. A
 * request found queued or pinning at start (the daemon stopped) is queued again. Thread-safe.
 */
public final class PinningService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PinningService.class);

  /** Pins carried out at once; more requests wait in the queued state. */
  private static final int WORKERS = 2;

  private final Node node;
  private final Path file;
  private final Map<String, PinRequest> requests = new LinkedHashMap<>();
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          WORKERS,
          r -> {
            Thread t = new Thread(r, "tally-pinning");
            t.setDaemon(true);
            return t;
          });
  private Instant lastCreated = Instant.EPOCH;

  public PinningService(Node node, Path file) {
    this.node = node;
    this.file = file;
    load();
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      JsonArray all = new JsonArray(Files.readString(file, StandardCharsets.UTF_8));
      for (Object o : all) {
        PinRequest r = PinRequest.fromJson((JsonObject) o);
        requests.put(r.requestId(), r);
        if (r.created().isAfter(lastCreated)) {
          lastCreated = r.created();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is corrupt: " + e.getMessage(), e);
    }
    for (PinRequest r : List.copyOf(requests.values())) {
      if (r.status() == PinRequest.Status.QUEUED || r.status() == PinRequest.Status.PINNING) {
        requests.put(r.requestId(), r.with(PinRequest.Status.QUEUED, Optional.empty(), false));
        submit(r.requestId());
      }
    }
  }

  /** Queues a new request and starts carrying it out. */
  public synchronized PinRequest add(
      String user, String cid, String name, List<String> origins, Map<String, String> meta) {
    parse(cid);
    PinRequest r =
        new PinRequest(
            UUID.randomUUID().toString(),
            user,
            cid,
            name,
            origins,
            meta,
            PinRequest.Status.QUEUED,
            nextCreated(),
            Optional.empty(),
            false);
    requests.put(r.requestId(), r);
    save();
    submit(r.requestId());
    return r;
  }

  /** Strictly increasing creation times, so paging by {@code before} never skips or repeats. */
  private Instant nextCreated() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
    return lastCreated;
  }

  static Cid parse(String cid) {
    try {
      return Cid.parse(cid);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid cid \"" + cid + "\": " + e.getMessage(), e);
    }
  }

  public synchronized Optional<PinRequest> get(String user, String requestId) {
    PinRequest r = requests.get(requestId);
    return r != null && r.user().equals(user) ? Optional.of(r) : Optional.empty();
  }

  /** The matching count and the first {@code limit} matches, newest first. */
  public synchronized Map.Entry<Integer, List<PinRequest>> list(String user, PinQuery query) {
    List<PinRequest> matching = new ArrayList<>();
    for (PinRequest r : requests.values()) {
      if (r.user().equals(user) && query.matches(r)) {
        matching.add(r);
      }
    }
    matching.sort(Comparator.comparing(PinRequest::created).reversed());
    return Map.entry(
        matching.size(),
        List.copyOf(matching.subList(0, Math.min(query.limit(), matching.size()))));
  }

  /** Replaces a request by a new one (new id); the old one's pin goes once the new one holds. */
  public PinRequest replace(
      String user,
      String requestId,
      String cid,
      String name,
      List<String> origins,
      Map<String, String> meta) {
    PinRequest old;
    synchronized (this) {
      old = get(user, requestId).orElseThrow(() -> new NotFoundException(requestId));
    }
    PinRequest fresh = add(user, cid, name, origins, meta);
    delete(user, old.requestId());
    return fresh;
  }

  /** Removes a request, and the node's pin when no other request still wants that CID. */
  public void delete(String user, String requestId) {
    PinRequest removed;
    synchronized (this) {
      removed = get(user, requestId).orElseThrow(() -> new NotFoundException(requestId));
      requests.remove(requestId);
      if (removed.ownsLocalPin()) {
        Optional<PinRequest> heir =
            requests.values().stream()
                .filter(
                    r -> r.cid().equals(removed.cid()) && r.status() != PinRequest.Status.FAILED)
                .findFirst();
        if (heir.isPresent()) {
          requests.put(
              heir.get().requestId(),
              heir.get().with(heir.get().status(), heir.get().failure(), true));
          save();
          return;
        }
      }
      save();
    }
    if (removed.ownsLocalPin()) {
      try {
        node.pins().rm(parse(removed.cid()), true);
      } catch (RuntimeException e) {
        LOG.warn(
            "pin request {}: cannot remove the pin of {}: {}",
            requestId,
            removed.cid(),
            e.getMessage());
      }
    }
  }

  private void submit(String requestId) {
    workers.execute(() -> carryOut(requestId));
  }

  private void carryOut(String requestId) {
    PinRequest r;
    synchronized (this) {
      r = requests.get(requestId);
      if (r == null) {
        return; // deleted while queued
      }
      requests.put(
          requestId, r.with(PinRequest.Status.PINNING, Optional.empty(), r.ownsLocalPin()));
      save();
    }
    PinRequest.Status outcome;
    Optional<String> why = Optional.empty();
    boolean owns = false;
    try {
      Cid cid = parse(r.cid());
      boolean alreadyPinned =
          node.pins().status(List.of(cid)).get(cid).type().orElse(null)
              == dev.tally.storage.pin.PinType.RECURSIVE;
      if (node.blocks() instanceof FetchingBlockstore online) {
        online.fetchAll(cid);
      }
      if (!alreadyPinned) {
        node.pins().add(cid, true, r.name());
        owns = true;
      }
      outcome = PinRequest.Status.PINNED;
    } catch (RuntimeException e) {
      outcome = PinRequest.Status.FAILED;
      why = Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      LOG.info("pin request {} for {} failed: {}", requestId, r.cid(), why.get());
    }
    boolean orphaned;
    synchronized (this) {
      PinRequest now = requests.get(requestId);
      orphaned = now == null;
      if (!orphaned) {
        requests.put(requestId, now.with(outcome, why, owns || now.ownsLocalPin()));
        save();
      }
    }
    if (orphaned && owns) {
      // Deleted while pinning: undo the pin it made.
      node.pins().rm(parse(r.cid()), true);
    }
  }

  private void save() {
    JsonArray all = new JsonArray();
    requests.values().forEach(r -> all.add(r.toJson()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, all.encode(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** No request with that id for that user. */
  public static final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String requestId) {
      super("no pin request " + requestId);
    }
  }
}
