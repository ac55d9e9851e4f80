package dev.tally.node;

import dev.tally.cluster.Cluster;
import dev.tally.cluster.ClusterException;
import dev.tally.cluster.ClusterOptions;
import dev.tally.cluster.SettingsRecord;
import dev.tally.cluster.audit.AuditSigner;
import dev.tally.cluster.audit.Auditor;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.CidFormatException;
import dev.tally.net.Host;
import dev.tally.storage.repo.Repo;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cluster this daemon is a member of, if any: {@code <repo>/cluster} names it, its log lives
 * with the other logs ({@code <repo>/logs}, GC roots), and its member ticks on a scheduler thread
 * of its own. Create, join and leave change it while the daemon runs. Every method may block (repo,
 * network): call from a worker, never an event loop.
 */
public final class ClusterMembership implements AutoCloseable {
  /** The file naming the cluster this repo is a member of. */
  public static final String FILE = "cluster";

  private final Repo repo;
  private final FetchingBlockstore blocks;
  private final ClusterOptions options;
  private final NodeLogs logs;
  private final ScheduledExecutorService scheduler;
  private final Auditor auditor;
  private Optional<Cluster> current = Optional.empty();

  private ClusterMembership(
      Repo repo,
      FetchingBlockstore blocks,
      ClusterOptions options,
      NodeLogs logs,
      Vertx vertx,
      Host host) {
    this.repo = repo;
    this.blocks = blocks;
    this.options = options;
    this.logs = logs;
    // Audits are answered from the repo's own blocks, never fetched: they ask what this node holds.
    // Answers are signed with the node's key, naming its latest admission (ADR 026).
    this.auditor =
        new Auditor(
                vertx,
                host,
                repo.blocks(),
                this::auditRefusal,
                new AuditSigner(key(), this::admittedBy),
                repo.config().cluster().protocol())
            .start();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tally-cluster");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Resumes the membership named in {@code <repo>/cluster}, if there is one, on the replica of its
   * log that the daemon already holds and replicates ({@code logs}), and answers and runs storage
   * audits ({@code /tally/cluster/audit/1.0.0}) on {@code host}.
   */
  public static ClusterMembership start(
      Repo repo,
      FetchingBlockstore blocks,
      ClusterOptions options,
      NodeLogs logs,
      Vertx vertx,
      Host host) {
    ClusterMembership m = new ClusterMembership(repo, blocks, options, logs, vertx, host);
    m.saved().ifPresent(id -> m.open(logs.replicas().require(id)));
    return m;
  }

  private Path file() {
    return repo.dir().resolve(FILE);
  }

  private Optional<Cid> saved() {
    try {
      return Optional.of(Cid.parse(Files.readString(file(), StandardCharsets.US_ASCII).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | CidFormatException e) {
      throw new ClusterException("cannot read " + file() + ": " + e.getMessage(), e);
    }
  }

  private Cluster open(Log log) {
    Cluster c =
        Cluster.open(
            log,
            key(),
            new RepoClusterPins(repo.pins(), repo.leases(), blocks, repo::stat, log.id()),
            options,
            System::currentTimeMillis,
            l -> {
              logs.replicas().save(l);
              logs.sync().announce(l.id());
            },
            // A new member's pinset snapshot comes from peers through the exchange (ADR 027),
            // under a GC lease until its checkpoint entry is in the log (ADR 032).
            blocks,
            repo.leases());
    if (!logs.sync().tracked().contains(log.id())) {
      logs.sync().track(log, logs.replicas()::save);
    }
    c.audit(auditor);
    c.start(scheduler);
    current = Optional.of(c);
    return c;
  }

  /** Answers audits of the cluster this node is in, by its members, of its pins. */
  private Optional<String> auditRefusal(PeerId requester, Cid cluster, Cid pin) {
    Optional<Cluster> c = current();
    if (c.isEmpty() || !c.get().id().equals(cluster)) {
      return Optional.of("this node is not a member of cluster " + cluster);
    }
    return c.get().auditRefusal(requester, pin);
  }

  /** The entry that last admitted this node to {@code cluster}, as its answers name it. */
  private Cid admittedBy(Cid cluster) {
    return current().filter(c -> c.id().equals(cluster)).map(Cluster::admittedBy).orElse(cluster);
  }

  private Ed25519PrivateKey key() {
    if (!(repo.identity() instanceof Ed25519PrivateKey k)) {
      throw new ClusterException("cluster members sign with Ed25519; this node's key is not one");
    }
    return k;
  }

  /** The cluster this node is a member of. */
  public synchronized Optional<Cluster> current() {
    return current;
  }

  /**
   * The cluster this node is a member of.
   *
   * @throws ClusterException when it is in none
   */
  public synchronized Cluster require() {
    return current.orElseThrow(
        () ->
            new ClusterException(
                "this node is in no cluster; create one with 'tally cluster create NAME' or join"
                    + " one with 'tally cluster join ID'"));
  }

  /**
   * Creates a cluster with this node as its first member and admin, in which every member may admit
   * and remove members (the manifest's {@code admission: "writers"}), with the cluster-wide timing
   * {@code settings} (logged only when they differ from the defaults).
   */
  public synchronized Cluster create(String name, SettingsRecord settings) {
    refuseSecond();
    Ed25519PublicKey self = key().publicKey();
    LogManifest m =
        LogManifest.create(name, 1, List.of(self), System.currentTimeMillis(), List.of(self), true);
    Cluster c = begin(logs.replicas().create(m));
    if (!settings.equals(SettingsRecord.DEFAULTS)) {
      c.settings(settings);
    }
    return c;
  }

  /**
   * Joins the cluster {@code id}: fetches its manifest from peers, then replicates its log. When a
   * peer offers the log's latest final checkpoint, the pinset is loaded from its snapshot at once
   * and only the entries after it are folded (ADR 027). The node becomes a member once a member's
   * admission of it reaches this replica.
   */
  public synchronized Cluster join(Cid id) {
    refuseSecond();
    LogManifest m =
        LogManifest.fromBlock(
            blocks
                .get(id)
                .orElseThrow(() -> new ClusterException("no peer sent the manifest of " + id)));
    return begin(logs.replicas().join(m));
  }

  private Cluster begin(Log log) {
    try {
      Files.writeString(file(), log.id().toString() + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ClusterException("cannot write " + file() + ": " + e.getMessage(), e);
    }
    return open(log);
  }

  private void refuseSecond() {
    current.ifPresent(
        c -> {
          throw new ClusterException(
              "this node is already a member of cluster "
                  + c.id()
                  + " ("
                  + c.name()
                  + "); leave it first");
        });
  }

  /** Leaves the cluster: logs the departure, unpins the cluster's pins here, forgets it. */
  public synchronized void leave() {
    Cluster c = require();
    c.leave();
    c.close();
    current = Optional.empty();
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      throw new ClusterException("cannot delete " + file() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    auditor.close();
    current.ifPresent(Cluster::close);
    // Not shutdownNow: interrupting a tick mid-append would abort the fsync of the log's heads.
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
