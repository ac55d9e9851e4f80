package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code add} option of the foundation issue through the daemon's RPC, uploaded as Kubo's and
 * kubo-rpc-client's multipart writers send it (per-entry mode and mtime in the field name, {@code
 * file?mode=0640&mtime=...}); each root CID must equal what ipfs-unixfs-importer gives for the same
 * entries and options, never a CID Tally computed.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AddOptionsInteropTest {
  private static final String BOUNDARY = "add-options-boundary-41c9";
  private static final long MTIME = 1604320482L;
  private static final long CUSTOM_MTIME = 1603539720L;

  @TempDir static Path temp;

  private Daemon daemon;
  private String api;
  private Path small;
  private Path big;
  private Path big2;
  private Path empty;

  /** One multipart part: field name (with any metadata query), filename, body or directory. */
  private record Part(String field, String filename, Path file) {
    static Part dir(String field, String filename) {
      return new Part(field, filename, null);
    }
  }

  private record Case(String id, String query, List<Part> parts, JsonObject reference) {}

  @BeforeAll
  void start() throws IOException {
    Multiaddr ephemeral = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    daemon =
        Daemon.start(
            Repo.init(
                temp.resolve("repo"),
                RepoConfig.defaults()
                    .withAddresses(ephemeral, ephemeral)
                    .withSwarm(List.of(ephemeral))),
            "it",
            HttpLimits.defaults());
    String[] a = daemon.apiAddress().toString().split("/");
    api = "http://" + a[2] + ":" + a[4] + "/api/v0/";
    small = Files.writeString(temp.resolve("a.txt"), "hello metadata\n");
    big = random(temp.resolve("big.bin"), 300_000, 1);
    big2 = random(temp.resolve("big2.bin"), 270_000, 4);
    empty = Files.write(temp.resolve("empty.txt"), new byte[0]);
  }

  @AfterAll
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  /**
   * A directory with a file, a subdirectory and a file in it. Files span two chunks: for a
   * single-chunk file with metadata ipfs-unixfs-importer 17 stores the leaf's whole dag-pb block as
   * the file's data, where Kubo puts the metadata on the leaf itself; and it leaves out a mode
   * equal to the UnixFS default (0644 files, 0755 directories), which Kubo stores. Modes here are
   * never the defaults; Kubo's own vectors cover both cases below.
   */
  private List<Part> tree(String dir, String file, String sub, String subFile) {
    return List.of(
        Part.dir(dir, "site"),
        new Part(file, "site/big.bin", big),
        Part.dir(sub, "site/sub"),
        new Part(subFile, "site/sub/big2.bin", big2));
  }

  private JsonArray treeEntries(
      JsonObject dir, JsonObject file, JsonObject sub, JsonObject subFile) {
    return new JsonArray()
        .add(dir.copy().put("path", "site"))
        .add(file.copy().put("path", "site/big.bin").put("file", big.toString()))
        .add(sub.copy().put("path", "site/sub"))
        .add(subFile.copy().put("path", "site/sub/big2.bin").put("file", big2.toString()));
  }

  private static JsonObject meta(Integer mode, Long secs, Integer nsecs) {
    JsonObject m = new JsonObject();
    if (mode != null) {
      m.put("mode", mode);
    }
    if (secs != null) {
      JsonObject t = new JsonObject().put("secs", secs);
      if (nsecs != null) {
        t.put("nsecs", nsecs);
      }
      m.put("mtime", t);
    }
    return m;
  }

  private static JsonObject kubo() {
    return new JsonObject().put("profile", "unixfs-v0-2015");
  }

  private List<Case> cases() {
    JsonObject none = new JsonObject();
    List<Case> cases = new ArrayList<>();
    // Kubo's and kubo-rpc-client's per-entry metadata, kept with preserve-mode/preserve-mtime.
    List<Part> withOwn =
        tree(
            "dir?mode=0750&mtime=" + MTIME,
            "file-1?mode=0640&mtime=" + MTIME + "&mtime-nsecs=54321",
            "dir-2?mode=0700",
            "file-3?mode=0600&mtime=" + (MTIME + 10));
    cases.add(
        new Case(
            "preserve-mode-and-mtime",
            "preserve-mode=true&preserve-mtime=true",
            withOwn,
            job(
                treeEntries(
                    meta(0750, MTIME, null),
                    meta(0640, MTIME, 54321),
                    meta(0700, null, null),
                    meta(0600, MTIME + 10, null)),
                kubo())));
    cases.add(
        new Case(
            "preserve-mtime-only",
            "preserve-mtime=true",
            withOwn,
            job(
                treeEntries(
                    meta(null, MTIME, null),
                    meta(null, MTIME, 54321),
                    none,
                    meta(null, MTIME + 10, null)),
                kubo())));
    cases.add(
        new Case(
            "sent-metadata-ignored-without-preserve",
            "",
            withOwn,
            job(treeEntries(none, none, none, none), kubo())));
    // The mode/mtime options: every entry gets them (octal mode as Kubo parses it).
    JsonObject custom = meta(0764, CUSTOM_MTIME, 54321);
    cases.add(
        new Case(
            "mode-and-mtime-on-a-file",
            "mode=0764&mtime=" + CUSTOM_MTIME + "&mtime-nsecs=54321",
            List.of(new Part("file", "", big)),
            job(new JsonArray().add(custom.copy().put("file", big.toString())), kubo())));
    cases.add(
        new Case(
            "mode-and-mtime-on-a-tree",
            "mode=0764&mtime=" + CUSTOM_MTIME + "&mtime-nsecs=54321",
            tree("dir", "file-1", "dir-2", "file-3"),
            job(treeEntries(custom, custom, custom, custom), kubo())));
    cases.add(
        new Case(
            "metadata-turns-cid-version-1-raw-leaves-off",
            "cid-version=1&mode=0640",
            List.of(new Part("file", "", big)),
            job(
                new JsonArray().add(meta(0640, null, null).put("file", big.toString())),
                new JsonObject().put("cidVersion", 1).put("rawLeaves", false))));
    // The layout and CID options of the foundation issue.
    cases.add(
        new Case(
            "wrap-with-directory",
            "wrap-with-directory=true",
            List.of(new Part("file", "a.txt", small)),
            job(
                new JsonArray()
                    .add(new JsonObject().put("path", "a.txt").put("file", small.toString())),
                kubo().put("wrapWithDirectory", true))));
    cases.add(
        new Case(
            "raw-leaves",
            "raw-leaves=true",
            List.of(new Part("file", "", big)),
            job(fileEntry(big), kubo().put("rawLeaves", true))));
    cases.add(
        new Case(
            "cid-version-1",
            "cid-version=1",
            List.of(new Part("file", "", big)),
            job(fileEntry(big), new JsonObject().put("cidVersion", 1))));
    cases.add(
        new Case(
            "chunker",
            "chunker=size-1024",
            List.of(new Part("file", "", big)),
            job(fileEntry(big), kubo().put("chunkSize", 1024))));
    cases.add(
        new Case(
            "trickle",
            "trickle=true&chunker=size-1024",
            List.of(new Part("file", "", big)),
            job(
                fileEntry(big),
                kubo()
                    .put("chunkSize", 1024)
                    .put("layout", "trickle")
                    .put("maxChildrenPerNode", 174))));
    return cases;
  }

  private static JsonArray fileEntry(Path file) {
    return new JsonArray().add(new JsonObject().put("file", file.toString()));
  }

  private static JsonObject job(JsonArray entries, JsonObject options) {
    return new JsonObject().put("entries", entries).put("options", options);
  }

  @Test
  void everyOptionGivesTheReferenceImportersCid() throws Exception {
    List<Case> cases = cases();
    Map<String, Object> reference = reference(cases);
    Map<String, String> got = new LinkedHashMap<>();
    Map<String, String> want = new LinkedHashMap<>();
    for (Case c : cases) {
      HttpResponse<String> r = post(c.query(), c.parts());
      assertEquals(200, r.statusCode(), c.id() + ": " + r.body());
      got.put(c.id(), lastHash(r.body()));
      want.put(c.id(), (String) reference.get(c.id()));
    }
    assertEquals(want, got);
  }

  /**
   * Kubo's own expected CIDs for an empty file with metadata, from its sharness test {@code
   * t0047-add-mode-mtime.sh} (which runs them offline and through the daemon); Kubo's CLI sends the
   * file's mode and mtime in the part's field name.
   */
  @Test
  void emptyFileWithMetadataGivesKubosCids() throws Exception {
    Map<String, String> want = new LinkedHashMap<>();
    Map<String, String> got = new LinkedHashMap<>();
    String own = "file?mode=0640&mtime=1604320482";
    Map<String, String[]> vectors = new LinkedHashMap<>();
    vectors.put(
        "no metadata", new String[] {"", own, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"});
    vectors.put(
        "preserve-mode",
        new String[] {"preserve-mode=true", own, "QmQLgxypSNGNFTuUPGCecq6dDEjb6hNB5xSyVmP3cEuNtq"});
    vectors.put(
        "preserve-mtime",
        new String[] {
          "preserve-mtime=true", own, "QmQ6kErEW8kztQFV8vbwNU8E4dmtGsYpRiboiLxUEwibvj"
        });
    vectors.put(
        "preserve both",
        new String[] {
          "preserve-mode=true&preserve-mtime=true",
          own,
          "QmYkvboLsvLFcSYmqVJRxvBdYRQLroLv9kELf3LRiCqBri"
        });
    String sent = "file?mode=0600";
    vectors.put(
        "mode", new String[] {"mode=0764", sent, "QmchD3BN8TQ3RW6jPLxSaNkqvfuj7syKhzTRmL4EpyY1Nz"});
    vectors.put(
        "mtime",
        new String[] {"mtime=1603539720", sent, "QmT3aY4avDcYXCWpU8CJzqUkW7YEuEsx36S8cTNoLcuK1B"});
    vectors.put(
        "mtime-nsecs",
        new String[] {
          "mtime=1603539720&mtime-nsecs=54321",
          sent,
          "QmaKH8H5rXBUBCX4vdxi7ktGQEL7wejV7L9rX2qpZjwncz"
        });
    vectors.put(
        "mode, mtime and nsecs",
        new String[] {
          "mode=0764&mtime=1603539720&mtime-nsecs=54321",
          sent,
          "QmUkxrtBA8tPjwCYz1HrsoRfDz6NgKut3asVeHVQNH4C8L"
        });
    for (var v : vectors.entrySet()) {
      String[] c = v.getValue();
      HttpResponse<String> r = post(c[0], List.of(new Part(c[1], "testfile.txt", empty)));
      assertEquals(200, r.statusCode(), v.getKey() + ": " + r.body());
      got.put(v.getKey(), lastHash(r.body()));
      want.put(v.getKey(), c[2]);
    }
    assertEquals(want, got);
  }

  /**
   * Kubo's {@code ipfs add -r --preserve-mode --preserve-mtime} of its sharness tree (t0047, also
   * run there through the daemon): directories 0755 and a 0700 root, empty files 0644, a symlink,
   * each with its own mtime, sent as Kubo's CLI sends them; the root must be Kubo's.
   */
  @Test
  void kubosPreservedTreeGivesKubosRoot() throws Exception {
    long t = 1655158632L;
    List<Part> parts =
        List.of(
            Part.dir("dir?mode=0700&mtime=" + t, "testdir"),
            Part.dir("dir?mode=0755&mtime=" + (t + 90), "testdir/dir1"),
            Part.dir("dir?mode=0755&mtime=" + (t + 50), "testdir/dir2"),
            Part.dir("dir?mode=0755&mtime=" + (t + 40), "testdir/dir2/sub1"),
            new Part("symlink?mode=0777&mtime=" + (t + 20), "testdir/dir2/sub1/link1", null),
            Part.dir("dir?mode=0755&mtime=" + (t + 30), "testdir/dir2/sub1/sub2"),
            new Part("file?mode=0644&mtime=" + (t + 10), "testdir/dir2/sub1/sub2/file3", empty),
            Part.dir("dir?mode=0755&mtime=" + (t + 70), "testdir/dir3"),
            new Part("file?mode=0644&mtime=" + (t + 60), "testdir/dir3/file2", empty),
            new Part("file?mode=0644&mtime=" + (t + 80), "testdir/file1", empty));
    HttpResponse<String> r = post("preserve-mode=true&preserve-mtime=true", parts);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("QmSioyvQuXetxg7uo8FswGn9XKKEsisDq1HTMzGyWbw2R6", lastHash(r.body()));
  }

  @Test
  void onlyHashStoresNothingAndPinFalseStoresWithoutPinning() throws Exception {
    Path onlyHashed = random(temp.resolve("only-hash.bin"), 400_000, 2);
    Path unpinned = random(temp.resolve("unpinned.bin"), 400_000, 3);
    List<Case> cases =
        List.of(
            new Case(
                "only-hash",
                "only-hash=true",
                List.of(new Part("file", "", onlyHashed)),
                job(fileEntry(onlyHashed), kubo())),
            new Case(
                "pin-false",
                "pin=false",
                List.of(new Part("file", "", unpinned)),
                job(fileEntry(unpinned), kubo())));
    Map<String, Object> reference = reference(cases);

    Cid hashed = Cid.parse(lastHash(post("only-hash=true", cases.get(0).parts()).body()));
    assertEquals(reference.get("only-hash"), hashed.toString());
    assertFalse(daemon.repo().blocks().has(hashed), "only-hash stored the root block");

    Cid added = Cid.parse(lastHash(post("pin=false", cases.get(1).parts()).body()));
    assertEquals(reference.get("pin-false"), added.toString());
    assertTrue(daemon.repo().blocks().has(added), "pin=false did not store the blocks");
    assertFalse(daemon.repo().pins().recursiveRoots().contains(added), "pin=false pinned");
  }

  @Test
  void metadataWithExplicitRawLeavesAndMalformedMetadataAreRefused() throws Exception {
    HttpResponse<String> raw =
        post("raw-leaves=true&mode=0644", List.of(new Part("file", "", big)));
    assertEquals(500, raw.statusCode(), raw.body());
    assertEquals(
        "raw-leaves can't be used with UnixFS metadata like mode or modification time",
        new JsonObject(raw.body()).getString("Message"));

    HttpResponse<String> nanos = post("mtime-nsecs=5", List.of(new Part("file", "", small)));
    assertEquals(500, nanos.statusCode(), nanos.body());
    assertTrue(nanos.body().contains("requires \\\"mtime\\\""), nanos.body());

    HttpResponse<String> badMode =
        post("preserve-mode=true", List.of(new Part("file?mode=9x", "a.txt", small)));
    assertEquals(400, badMode.statusCode(), badMode.body());
    assertTrue(badMode.body().contains("not an octal mode"), badMode.body());
  }

  private HttpResponse<String> post(String query, List<Part> parts)
      throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Part p : parts) {
      body.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\""
                  + p.field()
                  + "\"; filename=\""
                  + URLEncoder.encode(p.filename(), StandardCharsets.UTF_8)
                  + "\"\r\nContent-Type: "
                  + (p.field().startsWith("symlink")
                      ? "application/symlink"
                      : p.file() == null ? "application/x-directory" : "application/octet-stream")
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      if (p.field().startsWith("symlink")) {
        body.writeBytes("../sub2/file3".getBytes(StandardCharsets.UTF_8));
      } else if (p.file() != null) {
        body.writeBytes(Files.readAllBytes(p.file()));
      }
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + "add" + (query.isEmpty() ? "" : "?" + query)))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String lastHash(String ndjson) {
    String last = ndjson.strip().lines().reduce((a, b) -> b).orElseThrow();
    return new JsonObject(last).getString("Hash");
  }

  private Map<String, Object> reference(List<Case> cases) throws IOException, InterruptedException {
    JsonArray jobs = new JsonArray();
    for (Case c : cases) {
      jobs.add(c.reference().copy().put("id", c.id()));
    }
    return NodeScripts.referenceCids(jobs, temp);
  }

  private static Path random(Path path, int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    return Files.write(path, data);
  }
}
