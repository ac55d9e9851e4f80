package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPFS Pinning Service API of one daemon backed by the cluster of three, driven by a plain HTTP
 * client as the spec's examples drive it: {@code POST /pins} puts the CID in the cluster's pinset,
 * the request goes queued → pinned once {@code min} allocated peers hold it, two users share a CID
 * through their own requests, lists page by {@code created}, and a replace keeps the blocks both
 * DAGs share through a GC between its steps.
 */
class PinningServiceClusterTest {
  private static final String ALICE = "Bearer alice-token";
  private static final String BOB = "Bearer bob-token";

  @TempDir Path temp;

  private ClusterDaemons daemons;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() {
    daemons = new ClusterDaemons(temp);
  }

  @AfterEach
  void stopAll() {
    daemons.close();
  }

  private HttpResponse<String> psa(Daemon d, String method, String path, String auth, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(ClusterDaemons.url(d) + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject post(Daemon d, String path, String auth, JsonObject pin) throws Exception {
    HttpResponse<String> r = psa(d, "POST", path, auth, pin.encode());
    assertEquals(202, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private JsonObject get(Daemon d, String path, String auth) throws Exception {
    HttpResponse<String> r = psa(d, "GET", path, auth, null);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private JsonObject awaitStatus(Daemon d, String auth, String id, String status) throws Exception {
    JsonObject[] last = {null};
    ClusterDaemons.waitFor(
        "request " + id + " " + status,
        () -> {
          last[0] = get(d, "/pins/" + id, auth);
          return last[0].getString("status").equals(status);
        });
    return last[0];
  }

  private String blockPut(Daemon d, byte[] data) throws Exception {
    HttpResponse<String> r =
        RpcUpload.post(ClusterDaemons.url(d), "block/put?cid-codec=raw", "block", data);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("Key");
  }

  /** Stores a DAG-CBOR node linking to {@code links} on {@code d}; its CID. */
  private String dagPut(Daemon d, Map<String, String> links) throws Exception {
    JsonObject node = new JsonObject();
    links.forEach((k, v) -> node.put(k, new JsonObject().put("/", v)));
    HttpResponse<String> r =
        RpcUpload.post(
            ClusterDaemons.url(d),
            "dag/put?input-codec=dag-json&store-codec=dag-cbor",
            "node.json",
            node.encode().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body().strip()).getJsonObject("Cid").getString("/");
  }

  private static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    return data;
  }

  /** The cluster pin of {@code cid} as {@code cluster/pin/ls} on {@code d} lists it. */
  private List<JsonObject> clusterPins(Daemon d, String cid) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : daemons.json(d, "cluster/pin/ls", "").getJsonArray("Pins")) {
      JsonObject p = (JsonObject) o;
      if (p.getString("Cid").equals(cid)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The CIDs a {@code repo/gc} on {@code d} removed. */
  private Set<String> gc(Daemon d) throws Exception {
    HttpResponse<byte[]> r = daemons.rpc(d, "repo/gc", Map.of());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    Set<String> removed = new HashSet<>();
    new String(r.body(), StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.isBlank())
        .forEach(l -> removed.add(new JsonObject(l).getJsonObject("Key").getString("/")));
    return removed;
  }

  @Test
  void aPinReachesPinnedOnMinAllocatedPeersAndTwoUsersShareItUntilBothDelete() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    Daemon c = daemons.start("c");
    daemons.formCluster(List.of(a, b, c));
    List<Daemon> all = List.of(a, b, c);

    HttpResponse<String> added =
        RpcUpload.post(ClusterDaemons.url(a), "add?pin=false", "data.bin", random(700_000, 7));
    assertEquals(200, added.statusCode(), added.body());
    String cid =
        new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");

    // The spec's first example: POST a Pin, get a PinStatus with a requestid, poll it.
    JsonObject created =
        post(
            a,
            "/pins",
            ALICE,
            new JsonObject()
                .put("cid", cid)
                .put("name", "PreciousData.pdf")
                .put(
                    "meta",
                    new JsonObject().put("app_id", "99986338-1113-4706-8302-4420da6158aa")));
    assertTrue(
        List.of("queued", "pinning").contains(created.getString("status")), created.encode());
    assertTrue(
        created.getJsonArray("delegates").getString(0).endsWith("/p2p/" + ClusterDaemons.id(a)));
    String aliceId = created.getString("requestid");
    JsonObject pinned = awaitStatus(a, ALICE, aliceId, "pinned");
    assertEquals("PreciousData.pdf", pinned.getJsonObject("pin").getString("name"));

    // One cluster pin with the configured factors (2..3), held by at least 2 allocated peers.
    List<JsonObject> pins = clusterPins(a, cid);
    assertEquals(1, pins.size(), pins.toString());
    assertEquals(2, pins.get(0).getInteger("ReplicationMin"));
    Map<String, String> status = daemons.status(a, cid);
    int holders = 0;
    for (Daemon d : all) {
      if (daemons.pinsRecursively(d, cid)) {
        assertTrue(status.containsKey(ClusterDaemons.id(d)), ClusterDaemons.id(d) + " allocated");
        holders++;
      }
    }
    assertTrue(holders >= 2, "held by " + holders + " peers");

    // Bob pins the same CID: his own request id, name and meta; still one cluster pin.
    JsonObject bobs =
        post(
            a,
            "/pins",
            BOB,
            new JsonObject()
                .put("cid", cid)
                .put("name", "bob's copy")
                .put("meta", new JsonObject().put("owner", "bob")));
    String bobId = bobs.getString("requestid");
    assertNotEquals(aliceId, bobId);
    assertEquals(
        "bob's copy", awaitStatus(a, BOB, bobId, "pinned").getJsonObject("pin").getString("name"));
    assertEquals(404, psa(a, "GET", "/pins/" + bobId, ALICE, null).statusCode());
    assertEquals(1, get(a, "/pins", BOB).getInteger("count"));
    assertEquals(1, clusterPins(a, cid).size());

    // Alice deletes hers: the CID stays in the cluster for Bob.
    assertEquals(202, psa(a, "DELETE", "/pins/" + aliceId, ALICE, null).statusCode());
    assertEquals(404, psa(a, "GET", "/pins/" + aliceId, ALICE, null).statusCode());
    Thread.sleep(3000); // a few reconciles of the service
    assertEquals(1, clusterPins(a, cid).size(), "still pinned for bob");
    assertEquals("pinned", get(a, "/pins/" + bobId, BOB).getString("status"));

    // Bob deletes his: the cluster unpins it and the peers release it.
    assertEquals(202, psa(a, "DELETE", "/pins/" + bobId, BOB, null).statusCode());
    ClusterDaemons.waitFor("the cluster pin removed", () -> clusterPins(a, cid).isEmpty());
    for (Daemon d : all) {
      ClusterDaemons.waitFor(
          ClusterDaemons.id(d) + " released it", () -> !daemons.pinsRecursively(d, cid));
    }
  }

  @Test
  void listsPageNewestFirstByCreatedWithCountsPerFilter() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    Daemon c = daemons.start("c");
    daemons.formCluster(List.of(a, b, c));
    String carol = "Bearer carol-token";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String cid = blockPut(a, ("page item " + i).getBytes(StandardCharsets.UTF_8));
      ids.add(
          post(
                  a,
                  "/pins",
                  carol,
                  new JsonObject()
                      .put("cid", cid)
                      .put("name", "item-" + i)
                      .put("meta", new JsonObject().put("parity", i % 2 == 0 ? "even" : "odd")))
              .getString("requestid"));
    }
    String any = "&status=queued,pinning,pinned,failed";
    JsonObject page1 = get(a, "/pins?limit=5" + any, carol);
    assertEquals(12, page1.getInteger("count"));
    JsonArray r1 = page1.getJsonArray("results");
    assertEquals(5, r1.size());
    String before1 = r1.getJsonObject(4).getString("created");
    JsonObject page2 = get(a, "/pins?limit=5" + any + "&before=" + enc(before1), carol);
    assertEquals(7, page2.getInteger("count"), "the count of what the filters (before) match");
    JsonArray r2 = page2.getJsonArray("results");
    String before2 = r2.getJsonObject(4).getString("created");
    JsonObject page3 = get(a, "/pins?limit=5" + any + "&before=" + enc(before2), carol);
    assertEquals(2, page3.getInteger("count"));
    List<String> seen = new ArrayList<>();
    Instant previous = Instant.MAX;
    for (JsonArray page : List.of(r1, r2, page3.getJsonArray("results"))) {
      for (Object o : page) {
        JsonObject s = (JsonObject) o;
        Instant created = Instant.parse(s.getString("created"));
        assertTrue(created.isBefore(previous), "newest first");
        previous = created;
        seen.add(s.getString("requestid"));
      }
    }
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    String oldest = page3.getJsonArray("results").getJsonObject(1).getString("created");
    assertEquals(
        11, get(a, "/pins?limit=1" + any + "&after=" + enc(oldest), carol).getInteger("count"));
    assertEquals(
        6,
        get(a, "/pins?limit=1000" + any + "&meta=" + enc("{\"parity\":\"odd\"}"), carol)
            .getInteger("count"));
    assertEquals(
        3,
        get(a, "/pins?limit=1000" + any + "&name=ITEM-1&match=ipartial", carol)
            .getInteger("count")); // item-1, item-10, item-11
    assertEquals(
        0,
        get(a, "/pins?limit=1000" + any + "&name=ITEM-1&match=exact", carol).getInteger("count"));
    // Without a status filter only pinned requests are listed: all of them, once pinned.
    ClusterDaemons.waitFor(
        "all 12 pinned", () -> get(a, "/pins?limit=1000", carol).getInteger("count") == 12);
  }

  @Test
  void requestsWithoutAValidTokenGetTheSpecs401() throws Exception {
    Daemon a = daemons.start("a");
    for (String auth : new String[] {null, "Basic YWxpY2U6cHc=", "Bearer "}) {
      HttpResponse<String> r = psa(a, "GET", "/pins", auth, null);
      assertEquals(401, r.statusCode(), String.valueOf(auth));
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      assertEquals("UNAUTHORIZED", error.getString("reason"));
      assertFalse(error.getString("details").isEmpty());
    }
    assertEquals(
        401,
        psa(a, "POST", "/pins", null, new JsonObject().put("cid", "bafkqaaa").encode())
            .statusCode());
  }

  @Test
  void replaceKeepsTheBlocksBothDagsShareThroughAGcBetweenItsSteps() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    Daemon c = daemons.start("c");
    daemons.formCluster(List.of(a, b, c));
    List<Daemon> members = List.of(a, b, c);
    // The client's own node, not connected to the service yet.
    Daemon client = daemons.start("client");

    String shared = blockPut(a, random(200_000, 1));
    String oldOnly = blockPut(a, random(100_000, 2));
    String oldRoot = dagPut(a, Map.of("shared", shared, "old", oldOnly));
    JsonObject three = new JsonObject().put("replication-min", "3").put("replication-max", "3");
    String oldId =
        post(a, "/pins", ALICE, new JsonObject().put("cid", oldRoot).put("meta", three))
            .getString("requestid");
    awaitStatus(a, ALICE, oldId, "pinned");
    for (Daemon d : members) {
      assertTrue(daemons.pinsRecursively(d, oldRoot), ClusterDaemons.id(d));
    }

    // The new DAG shares a block with the old one; its other blocks are on the client only.
    String newOnly = blockPut(client, random(100_000, 3));
    String newRoot = dagPut(client, Map.of("shared", shared, "new", newOnly));
    JsonObject replaced =
        post(a, "/pins/" + oldId, ALICE, new JsonObject().put("cid", newRoot).put("meta", three));
    String newId = replaced.getString("requestid");
    assertNotEquals(oldId, newId);
    assertEquals(404, psa(a, "GET", "/pins/" + oldId, ALICE, null).statusCode());

    // Step 1 is under way (the new pin cannot complete); give the cluster time to act on it.
    Thread.sleep(4000);
    assertNotEquals("pinned", get(a, "/pins/" + newId, ALICE).getString("status"));
    for (Daemon d : members) {
      assertTrue(daemons.pinsRecursively(d, oldRoot), "old pin kept on " + ClusterDaemons.id(d));
      Set<String> removed = gc(d);
      assertFalse(removed.contains(shared), "GC on " + ClusterDaemons.id(d) + " kept " + shared);
      assertFalse(removed.contains(oldRoot));
    }

    // The client connects: the new DAG arrives, the new pin completes, the old one goes.
    for (Daemon d : members) {
      String swarm = daemons.json(d, "id", "").getJsonArray("Addresses").getString(0);
      daemons.json(client, "swarm/connect", swarm);
    }
    // Attempts that failed while nobody had the DAG back off (5 s, 10 s, ...): retry them now.
    for (Daemon d : members) {
      daemons.rpc(d, "cluster/recover", Map.of("arg", newRoot));
    }
    awaitStatus(a, ALICE, newId, "pinned");
    for (Daemon d : members) {
      ClusterDaemons.waitFor(
          "old pin released on " + ClusterDaemons.id(d),
          () -> !daemons.pinsRecursively(d, oldRoot));
      ClusterDaemons.waitFor(
          "new pin held on " + ClusterDaemons.id(d), () -> daemons.pinsRecursively(d, newRoot));
    }
    daemons.stop(client);
    for (Daemon d : members) {
      // (The old-only block is not asserted gone: the cluster log's pin record still links it.)
      Set<String> removed = gc(d);
      assertFalse(removed.contains(shared), "shared block kept on " + ClusterDaemons.id(d));
      assertFalse(removed.contains(newOnly), "new block kept on " + ClusterDaemons.id(d));
      HttpResponse<byte[]> block = daemons.rpc(d, "block/get", Map.of("arg", shared));
      assertEquals(200, block.statusCode());
      assertEquals(200_000, block.body().length);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
