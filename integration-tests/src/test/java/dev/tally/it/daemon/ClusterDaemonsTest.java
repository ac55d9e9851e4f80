package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
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
 * Issue 10's "done means": three daemons form a cluster through their RPC APIs, a file pinned on
 * one shows as pinned on its allocated peers, and survives the loss of one of them. The cluster log
 * travels between daemons by their log replication ({@code /tally/log/1.0.0}), the file by Bitswap.
 */
class ClusterDaemonsTest {
  private static String id(Daemon d) {
    return ClusterDaemons.id(d);
  }

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

  private static boolean allPinned(Map<String, String> status, int n) {
    return status.size() == n && status.values().stream().allMatch("pinned"::equals);
  }

  @Test
  void threeDaemonsFormAClusterPinOnTheirAllocatedPeersAndSurviveLosingOne() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    Daemon c = daemons.start("c");
    daemons.formCluster(List.of(a, b, c));

    byte[] data = new byte[1_500_000];
    new SplittableRandom(10).nextBytes(data);
    HttpResponse<String> added =
        RpcUpload.post(ClusterDaemons.url(a), "add?pin=false", "data.bin", data);
    assertEquals(200, added.statusCode(), added.body());
    String cid =
        new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
    JsonObject pinned =
        daemons.json(
            a,
            "cluster/pin/add",
            Map.of("arg", cid, "replication-min", "2", "replication-max", "2", "name", "data"));
    List<String> allocated = new ArrayList<>();
    pinned.getJsonArray("Allocations").forEach(p -> allocated.add((String) p));
    assertEquals(2, allocated.size(), pinned.encode());

    for (Daemon d : List.of(a, b, c)) {
      ClusterDaemons.waitFor(
          "both allocated peers pinned, as " + id(d) + " sees it",
          () -> allPinned(daemons.status(d, cid), 2));
      assertEquals(allocated, List.copyOf(daemons.status(d, cid).keySet()));
    }
    for (Daemon d : List.of(a, b, c)) {
      boolean holds = allocated.contains(id(d));
      HttpResponse<byte[]> ls = daemons.rpc(d, "pin/ls", Map.of("arg", cid, "type", "recursive"));
      assertEquals(holds ? 200 : 500, ls.statusCode(), id(d) + " pins it iff allocated");
    }

    // Lose one allocated peer (the adder, if allocated: the data must come from the other).
    Daemon lost =
        allocated.contains(id(a))
            ? a
            : List.of(b, c).stream()
                .filter(d -> allocated.contains(id(d)))
                .findFirst()
                .orElseThrow();
    List<Daemon> survivors = new ArrayList<>(List.of(a, b, c));
    survivors.remove(lost);
    daemons.stop(lost);
    Daemon observer = survivors.get(0);
    ClusterDaemons.waitFor(
        "the pin re-allocated to both survivors and pinned",
        () -> {
          Map<String, String> s = daemons.status(observer, cid);
          return allPinned(s, 2) && !s.containsKey(id(lost));
        });
    for (Daemon d : survivors) {
      assertTrue(daemons.pinsRecursively(d, cid), id(d) + " pins it");
      HttpResponse<byte[]> cat = daemons.rpc(d, "cat", Map.of("arg", cid));
      assertEquals(200, cat.statusCode());
      assertArrayEquals(data, cat.body(), "the file is intact on " + id(d));
    }
  }
}
