package dev.tally.pinning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.daemon.RunningDaemon;
import dev.tally.http.HttpLimits;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pinning Service API driven as the spec's examples and Kubo's {@code ipfs pin remote} drive
 * it: a plain HTTP client with a bearer token, polling a request from queued to pinned.
 */
class PinningApiTest {
  private static final String ALICE = "Bearer alice-token";
  private static final String BOB = "Bearer bob-token";

  @TempDir Path temp;

  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "test", HttpLimits.defaults());
  }

  @AfterEach
  void stop() {
    daemon.stop();
  }

  private String base() {
    return RunningDaemon.apiUrl(daemon);
  }

  private Cid localBlock(String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.sum(Multicodec.SHA2_256, data));
    daemon.repo().blocks().put(Block.ofOwned(cid, data));
    return cid;
  }

  private HttpResponse<String> send(String method, String path, String auth, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
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

  private JsonObject pin(String auth, JsonObject pin) throws Exception {
    HttpResponse<String> r = send("POST", "/pins", auth, pin.encode());
    assertEquals(202, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private JsonObject await(String auth, String id, String status) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      HttpResponse<String> r = send("GET", "/pins/" + id, auth, null);
      assertEquals(200, r.statusCode(), r.body());
      JsonObject s = new JsonObject(r.body());
      if (s.getString("status").equals(status)) {
        return s;
      }
      assertTrue(System.nanoTime() < deadline, "still " + s.getString("status"));
      Thread.sleep(20);
    }
  }

  @Test
  void requestsWithoutABearerTokenAreRefusedWithTheSpecsError() throws Exception {
    HttpResponse<String> r = send("GET", "/pins", null, null);
    assertEquals(401, r.statusCode());
    assertEquals(
        "UNAUTHORIZED", new JsonObject(r.body()).getJsonObject("error").getString("reason"));
    assertEquals(401, send("GET", "/pins", "Basic eDp5", null).statusCode());
  }

  @Test
  void aPinRequestGoesFromQueuedToPinnedAndPinsOnTheNode() throws Exception {
    Cid cid = localBlock("pin me");
    JsonObject created =
        pin(
            ALICE,
            new JsonObject()
                .put("cid", cid.toString())
                .put("name", "PreciousData.pdf")
                .put(
                    "meta",
                    new JsonObject().put("app_id", "99986338-1113-4706-8302-4420da6158aa")));
    assertTrue(
        List.of("queued", "pinning", "pinned").contains(created.getString("status")),
        created.encode());
    assertEquals(cid.toString(), created.getJsonObject("pin").getString("cid"));
    assertFalse(created.getJsonArray("delegates").isEmpty());
    assertTrue(created.getJsonArray("delegates").getString(0).contains("/p2p/12D3KooW"));
    String id = created.getString("requestid");
    JsonObject pinned = await(ALICE, id, "pinned");
    assertEquals("PreciousData.pdf", pinned.getJsonObject("pin").getString("name"));
    assertEquals(
        PinType.RECURSIVE, daemon.repo().pins().status(List.of(cid)).get(cid).type().orElseThrow());

    // Another token is another user: it sees nothing of alice's.
    assertEquals(404, send("GET", "/pins/" + id, BOB, null).statusCode());
    assertEquals(0, new JsonObject(send("GET", "/pins", BOB, null).body()).getInteger("count"));

    // Replace: a new request id; the old one is gone; the node pins the new CID.
    Cid next = localBlock("pin me instead");
    HttpResponse<String> replaced =
        send("POST", "/pins/" + id, ALICE, new JsonObject().put("cid", next.toString()).encode());
    assertEquals(202, replaced.statusCode(), replaced.body());
    String nextId = new JsonObject(replaced.body()).getString("requestid");
    assertFalse(nextId.equals(id));
    await(ALICE, nextId, "pinned");
    assertEquals(404, send("GET", "/pins/" + id, ALICE, null).statusCode());
    // The replaced pin goes once the new one is pinned.
    waitUntil("the replaced pin released", () -> !pinned(cid));

    assertEquals(202, send("DELETE", "/pins/" + nextId, ALICE, null).statusCode());
    assertEquals(404, send("GET", "/pins/" + nextId, ALICE, null).statusCode());
    waitUntil("the deleted request's pin released", () -> !pinned(next));
    assertEquals(404, send("DELETE", "/pins/" + nextId, ALICE, null).statusCode());
  }

  private boolean pinned(Cid cid) {
    return daemon.repo().pins().status(List.of(cid)).get(cid).pinned();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void waitUntil(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!check.holds()) {
      assertTrue(System.nanoTime() < deadline, what + " within 30 s");
      Thread.sleep(20);
    }
  }

  @Test
  void twoUsersPinningOneCidEachHaveTheirOwnRequestAndTheCidStaysUntilBothDelete()
      throws Exception {
    Cid cid = localBlock("shared by two users");
    JsonObject a =
        pin(ALICE, new JsonObject().put("cid", cid.toString()).put("name", "alice's copy"));
    JsonObject b =
        pin(
            BOB,
            new JsonObject()
                .put("cid", cid.toString())
                .put("name", "bob's copy")
                .put("meta", new JsonObject().put("owner", "bob")));
    assertFalse(a.getString("requestid").equals(b.getString("requestid")));
    await(ALICE, a.getString("requestid"), "pinned");
    JsonObject bobs = await(BOB, b.getString("requestid"), "pinned");
    assertEquals("bob's copy", bobs.getJsonObject("pin").getString("name"));
    assertEquals("bob", bobs.getJsonObject("pin").getJsonObject("meta").getString("owner"));

    assertEquals(
        202, send("DELETE", "/pins/" + a.getString("requestid"), ALICE, null).statusCode());
    // Bob's request still wants it: give the service time to act on alice's delete, then look.
    Thread.sleep(2 * PinningService.TICK_MILLIS);
    assertTrue(pinned(cid), "still pinned for bob");
    assertEquals("pinned", await(BOB, b.getString("requestid"), "pinned").getString("status"));
    assertEquals(202, send("DELETE", "/pins/" + b.getString("requestid"), BOB, null).statusCode());
    waitUntil("unpinned once both deleted", () -> !pinned(cid));
  }

  @Test
  void aPinTheUserMadeByHandIsNeverReleasedByTheService() throws Exception {
    Cid cid = localBlock("pinned by hand");
    daemon.repo().pins().add(cid, true, "mine");
    String id = pin(ALICE, new JsonObject().put("cid", cid.toString())).getString("requestid");
    await(ALICE, id, "pinned");
    assertEquals(202, send("DELETE", "/pins/" + id, ALICE, null).statusCode());
    Thread.sleep(2 * PinningService.TICK_MILLIS);
    assertTrue(pinned(cid));
  }

  @Test
  void replicationFactorsInMetaAreCheckedAsNumbers() throws Exception {
    Cid cid = localBlock("factors");
    HttpResponse<String> r =
        send(
            "POST",
            "/pins",
            ALICE,
            new JsonObject()
                .put("cid", cid.toString())
                .put("meta", new JsonObject().put("replication-min", "two"))
                .encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("replication-min"), r.body());
    r =
        send(
            "POST",
            "/pins",
            ALICE,
            new JsonObject()
                .put("cid", cid.toString())
                .put(
                    "meta",
                    new JsonObject().put("replication-min", "3").put("replication-max", "2"))
                .encode());
    assertEquals(400, r.statusCode(), r.body());
  }

  @Test
  void aCidNoPeerHoldsEndsFailed() throws Exception {
    Cid absent = Cid.v1(Multicodec.RAW, Multihash.sum(Multicodec.SHA2_256, new byte[] {1, 2, 3}));
    String id = pin(ALICE, new JsonObject().put("cid", absent.toString())).getString("requestid");
    JsonObject failed = await(ALICE, id, "failed");
    assertFalse(failed.getJsonObject("info").getString("status_details", "").isEmpty());
    JsonObject list = new JsonObject(send("GET", "/pins?status=failed", ALICE, null).body());
    assertEquals(1, list.getInteger("count"));
    // The default status filter is pinned only.
    assertEquals(0, new JsonObject(send("GET", "/pins", ALICE, null).body()).getInteger("count"));
  }

  @Test
  void listsFilterAndPageNewestFirst() throws Exception {
    for (int i = 0; i < 15; i++) {
      Cid cid = localBlock("item " + i);
      pin(
          ALICE,
          new JsonObject()
              .put("cid", cid.toString())
              .put("name", (i % 2 == 0 ? "Even" : "odd") + "-" + i)
              .put("meta", new JsonObject().put("parity", i % 2 == 0 ? "even" : "odd")));
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (new JsonObject(send("GET", "/pins", ALICE, null).body()).getInteger("count") < 15) {
      assertTrue(System.nanoTime() < deadline);
      Thread.sleep(20);
    }
    JsonObject page1 = new JsonObject(send("GET", "/pins", ALICE, null).body());
    assertEquals(15, page1.getInteger("count"));
    JsonArray first = page1.getJsonArray("results");
    assertEquals(10, first.size()); // the spec's default limit
    assertEquals(
        "even-14", first.getJsonObject(0).getJsonObject("pin").getString("name").toLowerCase());
    String before = first.getJsonObject(9).getString("created");
    JsonObject page2 =
        new JsonObject(send("GET", "/pins?limit=10&before=" + enc(before), ALICE, null).body());
    assertEquals(5, page2.getJsonArray("results").size());
    Set<String> ids = new HashSet<>();
    first.forEach(o -> ids.add(((JsonObject) o).getString("requestid")));
    page2.getJsonArray("results").forEach(o -> ids.add(((JsonObject) o).getString("requestid")));
    assertEquals(15, ids.size());

    assertEquals(
        8,
        new JsonObject(send("GET", "/pins?name=even&match=ipartial", ALICE, null).body())
            .getInteger("count"));
    assertEquals(
        0,
        new JsonObject(send("GET", "/pins?name=even&match=partial", ALICE, null).body())
            .getInteger("count"));
    assertEquals(
        1,
        new JsonObject(send("GET", "/pins?name=ODD-3&match=iexact", ALICE, null).body())
            .getInteger("count"));
    assertEquals(
        7,
        new JsonObject(send("GET", "/pins?meta=" + enc("{\"parity\":\"odd\"}"), ALICE, null).body())
            .getInteger("count"));
    String oneCid = first.getJsonObject(0).getJsonObject("pin").getString("cid");
    assertEquals(
        1,
        new JsonObject(send("GET", "/pins?cid=" + oneCid, ALICE, null).body()).getInteger("count"));
  }

  @Test
  void malformedRequestsGetBadRequest() throws Exception {
    assertEquals(400, send("POST", "/pins", ALICE, "{\"cid\":\"not-a-cid\"}").statusCode());
    assertEquals(400, send("POST", "/pins", ALICE, "{}").statusCode());
    assertEquals(400, send("POST", "/pins", ALICE, "[1,2]").statusCode());
    assertEquals(400, send("GET", "/pins?limit=0", ALICE, null).statusCode());
    assertEquals(400, send("GET", "/pins?limit=1001", ALICE, null).statusCode());
    assertEquals(400, send("GET", "/pins?status=lost", ALICE, null).statusCode());
    assertEquals(400, send("GET", "/pins?before=yesterday", ALICE, null).statusCode());
    HttpResponse<String> huge =
        send("POST", "/pins", ALICE, "{\"cid\":\"" + "a".repeat(70_000) + "\"}");
    assertEquals(413, huge.statusCode());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
