package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.storage.repo.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.UTF_8);

  /** What {@code echo "hello world" | ipfs add -Q} prints with Kubo's defaults. */
  private static final String HELLO_V0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";

  @TempDir Path tmp;

  private Cli cli() {
    return new Cli(tmp.resolve("repo"));
  }

  @Test
  void initThenAddFromStdinPrintsKubosCid() {
    Cli cli = cli();
    assertEquals(0, cli.run("init").code());
    Cli.Result add = cli.runWithInput(HELLO, "add", "-Q");
    assertEquals(0, add.code(), add.stderr());
    assertEquals(List.of(HELLO_V0), add.lines());
  }

  @Test
  void addCreatesTheRepoOnFirstUseAndNamesStdinByItsCid() {
    Cli.Result add = cli().runWithInput(HELLO, "add");
    assertEquals(0, add.code(), add.stderr());
    assertEquals(List.of("added " + HELLO_V0 + " " + HELLO_V0), add.lines());
  }

  @Test
  void initCreatesAnEd25519IdentityReadableOnlyByTheOwner() throws Exception {
    Cli.Result init = cli().run("init");
    assertEquals(0, init.code(), init.stderr());
    String idLine = init.lines().get(1);
    assertTrue(idLine.startsWith("peer identity: 12D3KooW"), idLine);
    Path key = tmp.resolve("repo/identity.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    try (Repo repo = Repo.open(tmp.resolve("repo"))) {
      assertEquals(idLine.substring("peer identity: ".length()), repo.peerId().toString());
    }
  }

  @Test
  void initTwiceIsAnError() {
    Cli cli = cli();
    assertEquals(0, cli.run("init").code());
    Cli.Result again = cli.run("init");
    assertEquals(1, again.code());
    assertTrue(again.stderr().startsWith("Error: a tally repo already exists"), again.stderr());
  }

  @Test
  void catReturnsTheAddedBytesWithOffsetAndLength() throws Exception {
    Cli cli = cli();
    byte[] data = new byte[700_000];
    new Random(7).nextBytes(data);
    Path file = tmp.resolve("data.bin");
    Files.write(file, data);
    String cid = cli.run("add", "-Q", file.toString()).lines().get(0);
    assertArrayEquals(data, cli.run("cat", cid).stdoutBytes());
    byte[] slice = cli.run("cat", "-o", "262140", "-l", "10", cid).stdoutBytes();
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 262140, 262150), slice);
  }

  @Test
  void addDirectoryNeedsRecursiveAndListsEntries() throws Exception {
    Cli cli = cli();
    Path dir = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(dir.resolve("a.txt"), "alpha\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.txt"), "beta\n");

    Cli.Result refused = cli.run("add", dir.toString());
    assertEquals(1, refused.code());
    assertTrue(refused.stderr().contains("use the '-r' flag"), refused.stderr());

    Cli.Result add = cli.run("add", "-r", dir.toString());
    assertEquals(0, add.code(), add.stderr());
    List<String> lines = add.lines();
    String root = lines.get(lines.size() - 1);
    assertTrue(root.startsWith("added ") && root.endsWith(" site"), root);
    String rootCid = root.split(" ")[1];

    List<String> ls = cli.run("ls", rootCid).lines();
    assertEquals(2, ls.size(), ls.toString());
    assertTrue(ls.get(0).endsWith(" 6 a.txt"), ls.get(0));
    assertTrue(ls.get(1).endsWith(" - sub/"), ls.get(1));
    assertEquals("beta\n", cli.run("cat", "/ipfs/" + rootCid + "/sub/b.txt").stdout());

    Path out = tmp.resolve("out");
    assertEquals(0, cli.run("get", rootCid, "-o", out.toString()).code());
    assertEquals("alpha\n", Files.readString(out.resolve("a.txt")));
    assertEquals("beta\n", Files.readString(out.resolve("sub/b.txt")));
  }

  @Test
  void onlyHashStoresNothing() {
    Cli cli = cli();
    cli.run("init");
    Cli.Result add = cli.runWithInput(HELLO, "add", "-Q", "--only-hash");
    assertEquals(List.of(HELLO_V0), add.lines());
    Cli.Result cat = cli.run("cat", HELLO_V0);
    assertEquals(1, cat.code());
    assertTrue(cat.stderr().startsWith("Error: "), cat.stderr());
  }

  @Test
  void blockPutGetStatRm() {
    Cli cli = cli();
    Cli.Result put = cli.runWithInput(HELLO, "block", "put");
    assertEquals(0, put.code(), put.stderr());
    String cid = put.lines().get(0);
    // CIDv1, raw codec, sha2-256 of "hello world\n" — as `ipfs block put` prints it.
    assertEquals("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", cid);
    assertArrayEquals(HELLO, cli.run("block", "get", cid).stdoutBytes());
    assertEquals(List.of("Key: " + cid, "Size: 12"), cli.run("block", "stat", cid).lines());
    assertEquals(List.of("removed " + cid), cli.run("block", "rm", cid).lines());
    Cli.Result gone = cli.run("block", "stat", cid);
    assertEquals(1, gone.code());
    assertTrue(gone.stderr().contains("not found"), gone.stderr());
  }

  @Test
  void cidCommandsConvertBetweenVersionsAndBases() {
    Cli cli = cli();
    assertEquals(
        List.of("bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"),
        cli.run("cid", "base32", HELLO_V0).lines());
    assertEquals(
        List.of("cidv1-dag-pb-sha2-256-32"),
        cli.run("cid", "format", "-f", "%P", "-v", "1", HELLO_V0).lines());
    Cli.Result bad = cli.run("cid", "base32", "not-a-cid");
    assertEquals(1, bad.code());
    assertTrue(bad.stderr().startsWith("Error: "), bad.stderr());
  }

  @Test
  void malformedCidIsAOneLineError() {
    Cli cli = cli();
    cli.run("init");
    Cli.Result r = cli.run("cat", "QmNotACid");
    assertEquals(1, r.code());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("Error: "), r.stderr());
  }
}
