package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients against a Tally daemon started in process on ephemeral loopback ports:
 * kubo-rpc-client (the JS client apps use with Kubo) for the RPC API, and a trustless-gateway
 * client (plain fetch, @ipld/car, ipfs-unixfs-exporter) for the gateway. The scripts check every
 * answer against ipfs-unixfs-importer and multiformats, never against Tally.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonClientsTest {
  @TempDir static Path temp;

  private Daemon daemon;
  private String apiUrl;
  private String gatewayUrl;

  @BeforeAll
  void startDaemon() {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "it", HttpLimits.defaults());
    apiUrl = url(daemon.apiAddress());
    gatewayUrl = url(daemon.gatewayAddress());
  }

  @AfterAll
  void stopDaemon() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private static String url(Multiaddr address) {
    String text = address.toString(); // /ip4/127.0.0.1/tcp/PORT
    String[] parts = text.split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  @Test
  void kuboRpcClientWorksAgainstTheDaemon() throws Exception {
    List<String> ok = runNode("kubo-client.mjs", apiUrl, daemon.repo().peerId().toString());
    assertEquals(
        List.of(
            "ok version",
            "ok id",
            "ok add file with progress",
            "ok add with cid-version 1",
            "ok add directory",
            "ok add wrapped in a directory",
            "ok cat",
            "ok cat with offset and length",
            "ok ls",
            "ok block put/get/stat",
            "ok block rm",
            "ok dag put/get",
            "ok pin add/ls/rm",
            "ok repo stat",
            "ok errors"),
        ok);
  }

  @Test
  void trustlessClientVerifiesAndRebuildsFromTheGateway() throws Exception {
    byte[] data = new byte[1_500_000];
    new SplittableRandom(42).nextBytes(data);
    Path file = Files.write(temp.resolve("content.bin"), data);
    // Added through the RPC API by curl-like multipart, as any client would.
    RpcUpload.add(apiUrl, "content.bin", data);
    List<String> ok = runNode("trustless-client.mjs", gatewayUrl, file.toString());
    assertEquals(
        List.of(
            "ok car: every block verified, file rebuilt",
            "ok car with entity-bytes: only the blocks of the range, enough to read it",
            "ok car via Accept header, dag-scope=block",
            "ok raw block",
            "ok path gateway range",
            "ok absent content is 404"),
        ok);
  }

  @Test
  void heliaVerifiedFetchReadsThroughTheGatewayAlone() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("vf"));
    byte[] data = new byte[700_000]; // three 256 KiB chunks under a dag-pb root
    new SplittableRandom(7).nextBytes(data);
    byte[] html = "<!doctype html><h1>tally</h1>\n".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("data.bin"), data);
    Files.write(dir.resolve("index.html"), html);
    java.util.Map<String, byte[]> tree = new java.util.LinkedHashMap<>();
    tree.put("vf/data.bin", data);
    tree.put("vf/index.html", html);
    RpcUpload.addTree(apiUrl, tree);
    List<String> ok = runNode("verified-fetch.mjs", gatewayUrl, dir.toString());
    assertEquals(
        List.of(
            "ok file by path, verified block by block",
            "ok directory with index.html",
            "ok range of a file"),
        ok);
  }

  private List<String> runNode(String script, String... args)
      throws IOException, InterruptedException {
    Process p =
        NodeScripts.command(script, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " timed out");
    assertEquals(0, p.exitValue(), script + " failed after:\n" + out);
    return out.lines().toList();
  }
}
