package dev.tally.pinning;

import static dev.tally.node.TestDags.leaf;
import static dev.tally.node.TestDags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.daemon.RunningDaemon;
import dev.tally.http.HttpLimits;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's replace protects "against undesired garbage collection of blocks common to both pins":
 * on a node pinning locally, a replace whose new DAG is still being fetched keeps the old pin, so a
 * GC in between leaves the shared blocks, and the old pin goes once the new one holds.
 */
class PinningReplaceTest {
  private static final String ALICE = "Bearer alice-token";

  @TempDir Path temp;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    daemons.forEach(Daemon::stop);
  }

  private Daemon start(String name) {
    Repo repo = Repo.init(temp.resolve(name), RepoConfig.testProfile());
    Daemon d = Daemon.start(repo, "test", HttpLimits.defaults());
    daemons.add(d);
    return d;
  }

  private HttpResponse<String> send(Daemon d, String method, String path, String body)
      throws Exception {
    String base = RunningDaemon.apiUrl(d);
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", ALICE)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String status(Daemon d, String id) throws Exception {
    HttpResponse<String> r = send(d, "GET", "/pins/" + id, null);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("status");
  }

  private static boolean pinned(Daemon d, Cid cid) {
    return d.repo().pins().status(List.of(cid)).get(cid).pinned();
  }

  private static Set<Cid> gc(Daemon d) {
    Set<Cid> removed = new HashSet<>();
    d.repo()
        .gc()
        .collect(
            new dev.tally.storage.gc.GarbageCollector.Listener() {
              @Override
              public void removed(Cid cid) {
                removed.add(cid);
              }
            });
    return removed;
  }

  private static Cid raw(Block b) {
    return Cid.v1(Multicodec.RAW, b.cid().multihash());
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void waitUntil(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + 45_000_000_000L;
    while (!check.holds()) {
      assertTrue(System.nanoTime() < deadline, what + " within 45 s");
      Thread.sleep(50);
    }
  }

  @Test
  void aGcWhileTheNewDagIsFetchedKeepsTheSharedBlocksAndTheOldPinGoesAfter() throws Exception {
    Daemon service = start("service");
    Daemon source = start("source");
    Random r = new Random(22);
    Block shared = leaf(r, 150_000);
    Block oldOnly = leaf(r, 50_000);
    Block oldRoot = node(shared, oldOnly);
    service.repo().blocks().putAll(List.of(shared, oldOnly, oldRoot));
    HttpResponse<String> created =
        send(
            service,
            "POST",
            "/pins",
            new JsonObject().put("cid", oldRoot.cid().toString()).encode());
    assertEquals(202, created.statusCode(), created.body());
    String oldId = new JsonObject(created.body()).getString("requestid");
    waitUntil("old pinned", () -> status(service, oldId).equals("pinned"));

    // The new DAG's own blocks are nowhere yet; the service is connected to the peer that will
    // have them, so its fetch waits.
    Block newOnly = leaf(r, 50_000);
    Block newRoot = node(shared, newOnly);
    service
        .network()
        .host()
        .dial(Multiaddr.parse(source.swarmAddresses().get(0) + "/p2p/" + source.repo().peerId()))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
    HttpResponse<String> replaced =
        send(
            service,
            "POST",
            "/pins/" + oldId,
            new JsonObject().put("cid", newRoot.cid().toString()).encode());
    assertEquals(202, replaced.statusCode(), replaced.body());
    String newId = new JsonObject(replaced.body()).getString("requestid");
    assertNotEquals(oldId, newId);
    assertEquals(404, send(service, "GET", "/pins/" + oldId, null).statusCode());

    Thread.sleep(2 * PinningService.TICK_MILLIS);
    assertNotEquals("pinned", status(service, newId));
    assertTrue(pinned(service, oldRoot.cid()), "the old pin stays while the new one is fetched");
    Set<Cid> removed = gc(service);
    assertFalse(removed.contains(raw(shared)), "the GC between the steps kept the shared block");
    assertTrue(service.repo().blocks().has(shared.cid()));

    // The new blocks appear on the peer: the fetch completes, then the old pin goes.
    source.repo().blocks().putAll(List.of(newOnly, newRoot));
    waitUntil("new pinned", () -> status(service, newId).equals("pinned"));
    waitUntil("old pin released", () -> !pinned(service, oldRoot.cid()));
    removed = gc(service);
    assertTrue(removed.contains(raw(oldOnly)), "the old DAG's own block is collected");
    assertFalse(removed.contains(raw(shared)));
    assertTrue(service.repo().blocks().has(shared.cid()));
    assertTrue(service.repo().blocks().has(newOnly.cid()));
  }
}
