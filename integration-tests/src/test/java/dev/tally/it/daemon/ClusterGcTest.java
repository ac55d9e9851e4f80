package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.multiformats.Cid;
import dev.tally.storage.dag.BlockFetcher;
import dev.tally.storage.dag.DagWalker;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 026: {@code repo gc} on a cluster member frees content the cluster no longer allocates to it
 * (trimmed to a lower max, then removed with {@code cluster pin rm}), and keeps the cluster log
 * whole: it verifies, survives a restart, and a fresh member syncs it from a collected member.
 */
class ClusterGcTest {
  private static final int SIZE = 1_500_000;

  /**
   * What a collection must give back of the file: its blocks are gone (checked one by one); the
   * repo size counts pack files, and a pack is rewritten only once under half of it is live.
   */
  private static final long FREED = SIZE * 9L / 10;

  @TempDir Path temp;

  private ClusterDaemons daemons;

  @BeforeEach
  void setUp() {
    daemons = new ClusterDaemons(temp);
  }

  @AfterEach
  void stopAll() {
    daemons.close();
  }

  private static String id(Daemon d) {
    return ClusterDaemons.id(d);
  }

  private long repoSize(Daemon d) throws Exception {
    return daemons.json(d, "repo/stat", "").getLong("RepoSize");
  }

  private void gc(Daemon d) throws Exception {
    HttpResponse<byte[]> r = daemons.rpc(d, "repo/gc", Map.of());
    String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(200, r.statusCode(), body);
    assertFalse(body.contains("\"Error\""), body);
  }

  private static boolean holdsAny(Daemon d, List<Cid> blocks) {
    return blocks.stream().anyMatch(c -> d.repo().blocks().has(c));
  }

  private JsonObject verify(Daemon d, String cluster) throws Exception {
    JsonObject v = daemons.json(d, "log/verify", cluster);
    assertTrue(v.getBoolean("Ok"), id(d) + ": " + v.encode());
    return v;
  }

  @Test
  void membersFreeTrimmedAndRemovedPinsAndTheLogStaysWhole() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    Daemon c = daemons.start("c");
    List<Daemon> members = new ArrayList<>(List.of(a, b, c));
    String cluster = daemons.formCluster(members);

    byte[] data = new byte[SIZE];
    new SplittableRandom(26).nextBytes(data);
    HttpResponse<String> added =
        RpcUpload.post(ClusterDaemons.url(a), "add?pin=false", "data.bin", data);
    assertEquals(200, added.statusCode(), added.body());
    String cid =
        new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
    List<Cid> blocks = new ArrayList<>();
    new DagWalker(a.repo().blocks(), BlockFetcher.OFFLINE).walk(Cid.parse(cid), true, blocks::add);
    assertTrue(blocks.size() > 2, blocks.toString());

    daemons.json(
        a,
        "cluster/pin/add",
        Map.of("arg", cid, "replication-min", "3", "replication-max", "3", "name", "data"));
    for (Daemon d : members) {
      ClusterDaemons.waitFor(id(d) + " pins the file", () -> daemons.pinsRecursively(d, cid));
    }

    // Trim: the same pin with max 1 leaves it on one member; the other two unpin, and their GC
    // frees the blocks (before ADR 026 the log's pin record kept them).
    JsonObject trimmed =
        daemons.json(
            b,
            "cluster/pin/add",
            Map.of("arg", cid, "replication-min", "1", "replication-max", "1", "name", "data"));
    String keeper = trimmed.getJsonArray("Allocations").getString(0);
    for (Daemon d : members) {
      if (id(d).equals(keeper)) {
        continue;
      }
      ClusterDaemons.waitFor(
          id(d) + " unpins the trimmed file", () -> !daemons.pinsRecursively(d, cid));
      long before = repoSize(d);
      gc(d);
      assertFalse(holdsAny(d, blocks), id(d) + " still holds blocks of the trimmed pin");
      long after = repoSize(d);
      assertTrue(before - after >= FREED, id(d) + ": repo size " + before + " -> " + after);
    }
    Daemon holder = members.stream().filter(d -> id(d).equals(keeper)).findFirst().orElseThrow();
    gc(holder);
    assertTrue(
        blocks.stream().allMatch(x -> holder.repo().blocks().has(x)),
        "the allocated member keeps every block of its pin through GC");

    // Remove: after cluster pin rm the last holder unpins, and its GC frees the file.
    daemons.json(a, "cluster/pin/rm", cid);
    ClusterDaemons.waitFor(
        id(holder) + " unpins the removed file", () -> !daemons.pinsRecursively(holder, cid));
    long before = repoSize(holder);
    gc(holder);
    assertFalse(holdsAny(holder, blocks), id(holder) + " still holds blocks of the removed pin");
    assertTrue(before - repoSize(holder) >= FREED);

    // The log survives: every member verifies it after GC, and again after a restart.
    for (Daemon d : members) {
      gc(d);
      verify(d, cluster);
    }
    Daemon restarted = daemons.restart(holder);
    members.set(members.indexOf(holder), restarted);
    JsonObject afterRestart = verify(restarted, cluster);

    // A fresh member, admitted by the restarted one, syncs the whole log from it alone.
    for (Daemon d : members) {
      if (d != restarted) {
        daemons.stop(d);
      }
    }
    Daemon fresh = daemons.start("fresh");
    String swarm = daemons.json(restarted, "id", "").getJsonArray("Addresses").getString(0);
    daemons.json(fresh, "swarm/connect", swarm);
    ClusterDaemons.waitFor(
        id(restarted) + " admits " + id(fresh),
        () ->
            daemons.rpc(restarted, "cluster/admit", Map.of("arg", id(fresh))).statusCode() == 200);
    daemons.json(fresh, "cluster/join", cluster);
    List<Cid> heads = new ArrayList<>();
    afterRestart.getJsonArray("Heads").forEach(h -> heads.add(Cid.parse((String) h)));
    ClusterDaemons.waitFor(
        id(fresh) + " holds the log as far as the collected member's heads",
        () -> heads.stream().allMatch(h -> fresh.repo().blocks().has(h)));
    JsonObject synced = verify(fresh, cluster);
    assertTrue(
        synced.getLong("Count") > afterRestart.getLong("Count"),
        "the fresh member holds every entry and its own admission: " + synced.encode());
  }
}
