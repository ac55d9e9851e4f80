package dev.tally.storage.gc;

import static dev.tally.storage.pin.Dags.leaf;
import static dev.tally.storage.pin.Dags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.cluster.PinRecord;
import dev.tally.cluster.Pinset;
import dev.tally.cluster.PinsetSnapshot;
import dev.tally.cluster.UnpinRecord;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.Consent;
import dev.tally.lending.record.LendingRecord;
import dev.tally.log.Checkpoint;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.store.HeadsFiles;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADR 026: garbage collection keeps a log's own structure and only what pins keep of the rest. */
class LogGcRootsTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-25");

  @TempDir Path dir;
  Repo repo;
  final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());

  @BeforeEach
  void open() {
    repo = Repo.init(dir.resolve("repo"), RepoConfig.defaults());
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private LogManifest manifest(String name) {
    return LogManifest.create(name, 1, List.of(key.publicKey()), 1_700_000_000_000L, List.of());
  }

  private void save(Log log) {
    HeadsFiles.ofRepo(repo.dir()).save(log.id(), log.heads());
  }

  private List<Block> content(String name) {
    Block a = leaf(name + " a");
    Block b = leaf(name + " b");
    Block root = node(name, a, b);
    repo.blocks().putAll(List.of(a, b, root));
    return List.of(root, a, b);
  }

  /** Runs a collection on {@code repo}; fails on any error it reports. */
  static void collect(Repo repo) {
    List<String> errors = new ArrayList<>();
    repo.gc()
        .collect(
            new GarbageCollector.Listener() {
              @Override
              public void error(String message) {
                errors.add(message);
              }
            });
    assertEquals(List.of(), errors);
  }

  @Test
  void aClusterLogKeepsItsEntriesCheckpointAndSnapshotButNotTheContentItsPinsName() {
    List<Block> unpinned = content("unpinned after pin rm");
    List<Block> held = content("still pinned here");
    Log log = Log.create(manifest("cluster"), repo.blocks());
    log.append(PinRecord.of(unpinned.get(0).cid(), "gone", 1, 1).toNode(), key);
    log.append(PinRecord.of(held.get(0).cid(), "kept", 1, 1).toNode(), key);
    log.append(new UnpinRecord(unpinned.get(0).cid()).toNode(), key);
    Pinset pinset = Pinset.of(log.manifest());
    log.entries().forEach(pinset::apply);
    Cid snapshot = PinsetSnapshot.write(pinset, repo.blocks());
    Entry checkpoint = log.checkpoints().propose(key, log.heads(), Optional.of(snapshot));
    Checkpoint c = log.checkpoints().latestFinal().orElseThrow();
    assertEquals(checkpoint.cid(), c.cid());
    log.append(
        PinRecord.of(unpinned.get(0).cid(), "named again, never pinned", 1, 1).toNode(), key);
    save(log);
    repo.pins().add(held.get(0).cid(), true, "the cluster's pin");
    Block garbage = leaf("garbage");
    repo.blocks().put(garbage);

    collect(repo);

    for (Block b : unpinned) {
      assertFalse(repo.blocks().has(b.cid()), "content only a record names is freed: " + b.cid());
    }
    for (Block b : held) {
      assertTrue(repo.blocks().has(b.cid()), "pinned content is kept: " + b.cid());
    }
    assertFalse(repo.blocks().has(garbage.cid()));
    assertTrue(repo.blocks().has(log.id()), "the manifest is kept");
    for (Entry e : log.entries().toList()) {
      assertTrue(repo.blocks().has(e.cid()), "entry " + e.cid() + " is kept");
    }
    // The snapshot's root and its chunks, and the order index's root and chunks, are kept.
    assertTrue(repo.blocks().has(snapshot));
    IpldNode root = DagCbor.decode(repo.blocks().get(snapshot).orElseThrow().bytes());
    for (IpldNode chunk : root.asMap().get("chunks").orElseThrow().asList()) {
      assertTrue(repo.blocks().has(chunk.asLink()), "snapshot chunk " + chunk.asLink());
    }
    Cid index = c.index();
    assertTrue(repo.blocks().has(index));
    IpldNode indexRoot = DagCbor.decode(repo.blocks().get(index).orElseThrow().bytes());
    for (IpldNode chunk : indexRoot.asMap().get("chunks").orElseThrow().asList()) {
      assertTrue(repo.blocks().has(chunk.asLink()), "order index chunk " + chunk.asLink());
    }

    Log reopened = Log.open(log.manifest(), repo.blocks(), log.heads());
    assertTrue(reopened.verify().ok(), reopened.verify().toString());
    assertEquals(log.size(), reopened.size());
    assertEquals(1, PinsetSnapshot.read(log.manifest(), snapshot, repo.blocks()).pins().size());
  }

  @Test
  void aLendingLogKeepsEveryEntryItsRecordsLinkTo() {
    Log log = Log.create(manifest("lending"), repo.blocks());
    Entry proposal =
        log.append(LendingRecord.of(Optional.empty(), DAY, new Consent(log.id())).encode(), key);
    Entry consent =
        log.append(
            LendingRecord.of(Optional.empty(), DAY, new Consent(proposal.cid())).encode(), key);
    Entry loanRecord =
        log.append(LendingRecord.of(proposal.cid(), DAY, new Consent(consent.cid())).encode(), key);
    for (int i = 0; i < 40; i++) {
      log.append(
          LendingRecord.of(proposal.cid(), DAY, new Consent(loanRecord.cid())).encode(), key);
    }
    save(log);
    List<Block> unrelated = content("not the log's");

    collect(repo);

    assertEquals(43, log.entries().count());
    for (Entry e : log.entries().toList()) {
      assertTrue(repo.blocks().has(e.cid()), "lending entry " + e.cid() + " survives GC");
    }
    for (Block b : unrelated) {
      assertFalse(repo.blocks().has(b.cid()));
    }
    Log reopened = Log.open(log.manifest(), repo.blocks(), log.heads());
    assertTrue(reopened.verify().ok(), reopened.verify().toString());
  }

  @Test
  void aHeadThatIsNotAnEntryAbortsTheCollectionAndRemovesNothing() {
    Log log = Log.create(manifest("damaged"), repo.blocks());
    Block notAnEntry =
        Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.map().put("next", 1L).build()));
    repo.blocks().put(notAnEntry);
    HeadsFiles.ofRepo(repo.dir()).save(log.id(), List.of(notAnEntry.cid()));
    Block garbage = leaf("garbage");
    repo.blocks().put(garbage);
    List<String> errors = new ArrayList<>();
    GcException e =
        assertThrows(
            GcException.class,
            () ->
                repo.gc()
                    .collect(
                        new GarbageCollector.Listener() {
                          @Override
                          public void error(String message) {
                            errors.add(message);
                          }
                        }));
    assertTrue(e.getMessage().contains("nothing was removed"), e.getMessage());
    assertTrue(e.getMessage().contains("tally log verify " + log.id()), e.getMessage());
    assertEquals(1, errors.size());
    assertTrue(repo.blocks().has(garbage.cid()));
  }

  @Test
  void entriesAppendedWhileCollectionsRunAreNeverCollected() throws Exception {
    // As the daemon wires it: the log writes through a leasing view and GC reads its in-memory
    // heads under the log's lock; no heads file is saved, so only that source keeps the entries.
    Blockstore leasing = repo.leases().leasing(repo.blocks());
    Log log = Log.create(manifest("busy"), leasing);
    repo.gc()
        .addRoots(
            new LogGcRoots(
                () -> {
                  synchronized (log) {
                    return Map.of(log.id(), log.heads());
                  }
                },
                Repo.STATE_LAYOUTS));
    AtomicBoolean appending = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                for (int i = 0; i < 400; i++) {
                  log.append(PinRecord.of(leaf("c" + i).cid(), "p" + i, 1, 1).toNode(), key);
                  if (i % 100 == 99) {
                    log.checkpoints().propose(key);
                  }
                }
                appending.set(false);
                return null;
              });
      Future<Integer> collector =
          pool.submit(
              () -> {
                int runs = 0;
                while (appending.get()) {
                  collect(repo);
                  runs++;
                }
                return runs;
              });
      writer.get(120, TimeUnit.SECONDS);
      assertTrue(collector.get(120, TimeUnit.SECONDS) > 0);
      collect(repo);
      Log reopened = Log.open(log.manifest(), repo.blocks(), log.heads());
      assertEquals(404, reopened.size());
      assertTrue(reopened.verify().ok(), reopened.verify().toString());
    } finally {
      pool.shutdownNow();
    }
  }
}
