package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.daemon.Daemon;
import dev.tally.ipld.Block;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.store.HeadsFiles;
import dev.tally.log.store.Replicas;
import dev.tally.multiformats.Cid;
import dev.tally.storage.logindex.H2LogIndex;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemons in child JVMs are killed with SIGKILL in the middle of replicating a large log, the
 * fetching side in one test and the serving side in the other. Nothing acknowledged is lost and
 * nothing half-written is believed: the killed replica verifies offline as it lies on disk, the
 * restarted daemon catches up, and in the end every replica has the same heads, the same entries in
 * the same order ({@code tally log ls}), a clean {@code tally log verify} and the same index rows.
 */
class KillDuringLogSyncTest {
  /** Enough entries that a transfer spans many 4,096-entry verify groups. */
  private static final int ENTRIES = 25_000;

  /** The fetcher is killed once it has stored at least this many entries. */
  private static final long KILL_AFTER = 4_096;

  private static final long TIMEOUT_S = 240;

  @TempDir Path temp;

  private final List<ChildDaemon> children = new ArrayList<>();

  @AfterEach
  void killAll() {
    children.forEach(ChildDaemon::close);
  }

  private ChildDaemon start(Path repo) throws IOException, InterruptedException {
    ChildDaemon d = ChildDaemon.start(repo);
    children.add(d);
    return d;
  }

  /** Creates a repo whose node wrote a log of {@code n} notes; returns the log id. */
  private static Cid seed(Path dir, int n) {
    try (Repo repo = Repo.init(dir, RepoConfig.testProfile())) {
      Ed25519PrivateKey key = (Ed25519PrivateKey) repo.identity();
      LogManifest m =
          LogManifest.create(
              "loans", 1, List.of(key.publicKey()), 1_764_000_000_000L, List.of(key.publicKey()));
      Replicas replicas = new Replicas(repo.blocks(), HeadsFiles.ofRepo(dir));
      Log log = replicas.create(m);
      String pad = "x".repeat(200);
      for (int i = 0; i < n; i += 1000) {
        List<IpldNode> records = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 1000); j++) {
          records.add(
              IpldNode.map().put("kind", "Note").put("text", "note " + j).put("pad", pad).build());
        }
        log.appendAll(records, key);
      }
      replicas.save(log);
      return log.id();
    }
  }

  /**
   * Another node's repo holding the same replica of {@code log} as {@code from} (blocks copied).
   */
  private static void copyReplica(Path from, Path to, Cid log) {
    try (Repo src = Repo.open(from);
        Repo dst = Repo.init(to, RepoConfig.testProfile())) {
      Log l = new Replicas(src.blocks(), HeadsFiles.ofRepo(from)).require(log);
      List<Block> blocks = new ArrayList<>();
      blocks.add(src.blocks().get(log).orElseThrow());
      l.entries().map(Entry::block).forEach(blocks::add);
      dst.blocks().putAll(blocks);
      HeadsFiles.ofRepo(to).save(log, l.heads());
    }
  }

  private static void fresh(Path dir) {
    Repo.init(dir, RepoConfig.testProfile()).close();
  }

  private static long count(ChildDaemon d, Cid log) throws IOException, InterruptedException {
    return d.json("log/status", log.toString()).getLong("Count");
  }

  private static JsonArray heads(ChildDaemon d, Cid log) throws IOException, InterruptedException {
    return d.json("log/status", log.toString()).getJsonArray("Heads");
  }

  private static void join(ChildDaemon d, Cid log, ChildDaemon from)
      throws IOException, InterruptedException {
    d.call("log/join", List.of(Map.entry("arg", log.toString()), Map.entry("peer", from.swarm)));
  }

  private static void waitUntil(String what, ChildDaemon d, Condition c) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!c.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out after " + TIMEOUT_S + " s waiting until " + what + "; log:\n" + d.log());
      }
      Thread.sleep(20);
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  /** Runs the CLI ({@code tally ARGS}) in a child JVM; returns its exit status and output. */
  private static Map.Entry<Integer, String> cli(String... args) throws Exception {
    Process p =
        new ProcessBuilder(ChildDaemon.command("256m", args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tally " + String.join(" ", args) + " hung");
    return Map.entry(p.exitValue(), out);
  }

  private static void verifyOffline(Path repo, Cid log, long atLeast, long below) throws Exception {
    Map.Entry<Integer, String> v = cli("log", "verify", "--repo", repo.toString(), log.toString());
    assertEquals(0, v.getKey(), "tally log verify of the killed replica:\n" + v.getValue());
    long n = Long.parseLong(v.getValue().lines().findFirst().orElseThrow().split(" ")[1]);
    assertTrue(
        n >= atLeast && n < below,
        "the killed replica holds " + n + " entries, expected [" + atLeast + ", " + below + ")");
  }

  private static List<H2LogIndex.Row> indexRows(Path repo, Cid log) {
    try (H2LogIndex index = H2LogIndex.open(repo.resolve(Daemon.LOG_INDEX))) {
      assertEquals(ENTRIES, index.count(log), "index rows in " + repo);
      return index.byKind(log, "Note");
    }
  }

  /** Same heads, same {@code log ls} output, clean {@code log verify} through both daemons. */
  private static void assertSameReplica(ChildDaemon a, Path aRepo, ChildDaemon b, Cid log)
      throws Exception {
    assertEquals(heads(a, log), heads(b, log), "heads");
    Map.Entry<Integer, String> lsA = cli("log", "ls", "--repo", aRepo.toString(), log.toString());
    assertEquals(0, lsA.getKey(), lsA.getValue());
    assertEquals(ENTRIES, lsA.getValue().lines().count(), "tally log ls lines");
    String lsB = b.call("log/ls", List.of(Map.entry("arg", log.toString())));
    List<String> fromB =
        lsB.lines()
            .map(JsonObject::new)
            .map(e -> e.getString("Cid") + " " + e.getLong("Time") + " " + e.getString("Author"))
            .toList();
    assertEquals(fromB, lsA.getValue().lines().toList(), "entries in total order");
    Map.Entry<Integer, String> v = cli("log", "verify", "--repo", aRepo.toString(), log.toString());
    assertEquals(0, v.getKey(), "tally log verify:\n" + v.getValue());
    assertTrue(v.getValue().startsWith("count " + ENTRIES + "\n"), v.getValue());
    JsonObject vb = b.json("log/verify", log.toString());
    assertTrue(vb.getBoolean("Ok"), vb.encode());
    assertEquals(ENTRIES, vb.getLong("Count"));
  }

  @Test
  void aFetcherKilledMidReplicationRestartsAndCatchesUpWithNothingLost() throws Exception {
    Path seederRepo = temp.resolve("seeder");
    Path fetcherRepo = temp.resolve("fetcher");
    Cid log = seed(seederRepo, ENTRIES);
    fresh(fetcherRepo);
    ChildDaemon seeder = start(seederRepo);
    ChildDaemon fetcher = start(fetcherRepo);

    join(fetcher, log, seeder);
    // Killed once it has saved heads of a first verified group, while more are in flight.
    waitUntil(
        "the fetcher saved the heads of a first group",
        fetcher,
        () -> !HeadsFiles.ofRepo(fetcherRepo).heads(log).orElseThrow().isEmpty());
    fetcher.kill();

    // What the killed daemon left on disk is a consistent prefix: saved heads name only entries
    // that are stored, and every one of them verifies.
    verifyOffline(fetcherRepo, log, 1, ENTRIES);

    ChildDaemon restarted = start(fetcherRepo);
    long held = count(restarted, log);
    assertTrue(held > 0 && held < ENTRIES, "after the restart it holds " + held);
    restarted.call("swarm/connect", List.of(Map.entry("arg", seeder.swarm)));
    waitUntil(
        "the restarted fetcher caught up",
        restarted,
        () -> count(restarted, log) == ENTRIES && heads(restarted, log).equals(heads(seeder, log)));
    JsonObject status = restarted.json("log/status", log.toString());
    assertEquals(0, status.getLong("Rejected"), status.encode());
    assertTrue(
        status.getLong("Verified") <= ENTRIES - held,
        "the restart resumed: it verified " + status.getLong("Verified") + " entries again");

    assertSameReplica(restarted, fetcherRepo, seeder, log);
    restarted.stop();
    seeder.stop();
    assertEquals(indexRows(seederRepo, log), indexRows(fetcherRepo, log), "index rows");
  }

  @Test
  void aSeederKilledMidTransferLeavesTheFetcherToFinishFromAnotherPeer() throws Exception {
    Path firstRepo = temp.resolve("first-seeder");
    Path secondRepo = temp.resolve("second-seeder");
    Path fetcherRepo = temp.resolve("fetcher");
    Cid log = seed(firstRepo, ENTRIES);
    copyReplica(firstRepo, secondRepo, log);
    fresh(fetcherRepo);
    ChildDaemon first = start(firstRepo);
    ChildDaemon second = start(secondRepo);
    ChildDaemon fetcher = start(fetcherRepo);
    assertEquals(ENTRIES, count(second, log));

    join(fetcher, log, first);
    waitUntil("the fetcher stored a first group", fetcher, () -> count(fetcher, log) >= KILL_AFTER);
    first.kill();
    // Groups already received are still verified and stored; then the transfer is over.
    Thread.sleep(2000);
    long held = count(fetcher, log);
    assertTrue(held < ENTRIES, "the transfer ended before the seeder was killed");
    assertTrue(fetcher.json("log/verify", log.toString()).getBoolean("Ok"));

    fetcher.call("swarm/connect", List.of(Map.entry("arg", second.swarm)));
    waitUntil(
        "the fetcher finished from the second seeder",
        fetcher,
        () -> count(fetcher, log) == ENTRIES && heads(fetcher, log).equals(heads(second, log)));
    assertSameReplica(fetcher, fetcherRepo, second, log);

    // The killed seeder was only reading: it restarts with its replica whole.
    ChildDaemon restarted = start(firstRepo);
    assertEquals(heads(second, log), heads(restarted, log));
    assertTrue(restarted.json("log/verify", log.toString()).getBoolean("Ok"));

    fetcher.stop();
    second.stop();
    restarted.stop();
    assertEquals(indexRows(firstRepo, log), indexRows(fetcherRepo, log), "index rows");
    assertEquals(indexRows(secondRepo, log), indexRows(fetcherRepo, log), "index rows");
  }
}
