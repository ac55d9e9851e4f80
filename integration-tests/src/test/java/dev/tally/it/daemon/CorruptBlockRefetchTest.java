package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block that rotted on one node's disk is healed from a peer: two daemons hold the same file, a
 * byte of it flips in A's pack, {@code repo verify} on A names the block, {@code cat} on A still
 * returns the right bytes (the bad copy dropped, the block fetched from B over Bitswap, checked
 * against its CID and stored), and {@code repo verify} on A is clean afterwards.
 */
class CorruptBlockRefetchTest {
  @TempDir Path temp;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() {
    daemons.forEach(Daemon::stop);
  }

  private Daemon start(String name) {
    Repo repo = Repo.init(temp.resolve(name), RepoConfig.testProfile());
    Daemon d = Daemon.start(repo, "it", HttpLimits.defaults());
    daemons.add(d);
    return d;
  }

  private static String url(Daemon d) {
    String[] parts = d.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  private HttpResponse<byte[]> rpc(Daemon d, String command, String arg)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    url(d)
                        + "/api/v0/"
                        + command
                        + "?arg="
                        + URLEncoder.encode(arg, StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String add(Daemon d, byte[] data) throws Exception {
    HttpResponse<String> added = RpcUpload.post(url(d), "add", "data.bin", data);
    assertEquals(200, added.statusCode(), added.body());
    return new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
  }

  private static List<Cid> corrupt(Repo repo) {
    List<Cid> bad = new ArrayList<>();
    repo.verify((cid, why) -> bad.add(cid));
    return bad;
  }

  /** Flips one byte in the middle of the largest pack: inside a leaf's record. */
  private static void flipAByteIn(Path blocks) throws IOException {
    Path pack;
    try (Stream<Path> ls = Files.list(blocks)) {
      pack =
          ls.filter(p -> p.toString().endsWith(".pack"))
              .max(Comparator.comparingLong(p -> p.toFile().length()))
              .orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  @Test
  void aCorruptBlockIsDroppedAndFetchedAgainFromAPeer() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    byte[] data = new byte[1_500_000]; // six 256 KiB leaves under one root
    new SplittableRandom(21).nextBytes(data);
    String cid = add(a, data);
    assertEquals(cid, add(b, data));
    String swarmA = a.swarmAddresses().get(0) + "/p2p/" + a.repo().peerId();
    assertEquals(200, rpc(b, "swarm/connect", swarmA).statusCode());

    flipAByteIn(a.repo().dir().resolve("blocks"));
    List<Cid> bad = corrupt(a.repo());
    assertEquals(1, bad.size(), "repo verify on A names the flipped block: " + bad);

    HttpResponse<byte[]> cat = rpc(a, "cat", cid);
    assertEquals(200, cat.statusCode(), new String(cat.body(), StandardCharsets.UTF_8));
    assertArrayEquals(data, cat.body());
    assertEquals(List.of(), corrupt(a.repo()), "repo verify on A after the re-fetch");
    assertArrayEquals(data, rpc(a, "cat", cid).body());
  }
}
