package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally log}, run in process on one repo as a user would. */
class LogCliTest {
  @TempDir Path tmp;

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String one(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    assertEquals(1, r.lines().size(), r.stdout());
    return r.lines().get(0);
  }

  @Test
  void createAppendListVerifyProveAndCheck() throws Exception {
    Cli cli = new Cli(tmp.resolve("repo"));
    String other =
        PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey()).toString();
    String log = one(cli.run("log", "create", "loans", "--writer", other));
    String e1 = one(cli.runWithInput(json("{\"kind\":\"Note\",\"n\":1}"), "log", "append", log));
    Path file = tmp.resolve("r.json");
    Files.write(file, json("{\"kind\":\"Note\",\"n\":2}"));
    String e2 = one(cli.run("log", "append", log, file.toString()));
    String e3 = one(cli.runWithInput(json("{\"kind\":\"Note\",\"n\":3}"), "log", "append", log));

    assertEquals(List.of(e3), cli.run("log", "heads", log).lines());
    Cli.Result ls = cli.run("log", "ls", log);
    assertEquals(0, ls.code(), ls.stderr());
    assertEquals(List.of(e1, e2, e3), ls.lines().stream().map(l -> l.split(" ")[0]).toList());
    assertTrue(ls.lines().get(1).split(" ")[1].equals("2"), ls.stdout());

    IpldNode got = DagJson.decode(cli.run("log", "get", e2).stdoutBytes());
    assertEquals(
        2L, got.asMap().get("record").orElseThrow().asMap().get("n").orElseThrow().asLong());
    assertEquals(log, got.asMap().get("log").orElseThrow().asLink().toString());

    Cli.Result verify = cli.run("log", "verify", log);
    assertEquals(0, verify.code(), verify.stderr());
    assertEquals(List.of("count 3", "head " + e3), verify.lines());

    Cli.Result prove = cli.run("log", "prove", log, e1);
    assertEquals(0, prove.code(), prove.stderr());
    Path car = tmp.resolve("proof.car");
    Files.write(car, prove.stdoutBytes());
    Cli.Result check = cli.run("log", "check-proof", "--log", log, car.toString());
    assertEquals(0, check.code(), check.stderr());
    assertTrue(check.stdout().startsWith("ok " + e1), check.stdout());

    byte[] bad = prove.stdoutBytes();
    bad[bad.length - 3] ^= 1;
    Files.write(car, bad);
    Cli.Result rejected = cli.run("log", "check-proof", "--log", log, car.toString());
    assertNotEquals(0, rejected.code());
    assertTrue(rejected.stderr().startsWith("Error: "), rejected.stderr());
  }

  @Test
  void checkpointsAreProposedEndorsedListedAndReportedByVerify() throws Exception {
    Cli cli = new Cli(tmp.resolve("repo"));
    String other =
        PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey()).toString();
    // Two signers (this node and another): the default quorum, a majority, is both.
    String log = one(cli.run("log", "create", "loans", "--writer", other));
    Cli.Result empty = cli.run("log", "checkpoint", log);
    assertEquals(1, empty.code());
    assertTrue(empty.stderr().contains("nothing to checkpoint"), empty.stderr());
    for (int i = 0; i < 3; i++) {
      one(cli.runWithInput(json("{\"n\":" + i + "}"), "log", "append", log));
    }
    String proposed = one(cli.run("log", "checkpoint", log));
    assertTrue(proposed.matches("checkpoint \\S+ proposed signers 1/2 count 3"), proposed);
    String cp = proposed.split(" ")[1];
    Cli.Result again = cli.run("log", "checkpoint", log, "--endorse", cp);
    assertEquals(1, again.code());
    assertTrue(again.stderr().contains("already signed"), again.stderr());
    assertEquals(List.of(proposed), cli.run("log", "checkpoints", log).lines());
    Cli.Result verify = cli.run("log", "verify", log);
    assertEquals(0, verify.code(), verify.stderr());
    assertEquals(2, verify.lines().size(), verify.stdout());

    // Alone, this node is the whole quorum: its checkpoint is final at once.
    String solo = one(cli.run("log", "create", "solo"));
    String e1 = one(cli.runWithInput(json("{\"n\":1}"), "log", "append", solo));
    String fin = one(cli.run("log", "checkpoint", solo));
    assertTrue(fin.matches("checkpoint \\S+ final signers 1/1 count 1"), fin);
    Cli.Result listed = cli.run("log", "checkpoints", solo);
    assertEquals(List.of(fin, "final " + fin.split(" ")[1]), listed.lines());
    Cli.Result v = cli.run("log", "verify", solo);
    assertEquals(0, v.code(), v.stderr());
    assertEquals(List.of("count 2", "head " + fin.split(" ")[1], "final " + fin), v.lines());
    assertTrue(e1.startsWith("b"), e1);
    Cli.Result bundle = cli.run("log", "checkpoint-bundle", solo);
    assertEquals(0, bundle.code(), bundle.stderr());
    dev.tally.log.FinalCheckpoint f =
        dev.tally.log.CheckpointBundle.read(
            new java.io.ByteArrayInputStream(bundle.stdoutBytes()), Cid.parse(solo), 10);
    assertEquals(List.of(Cid.parse(e1)), f.covered());
    Cli.Result none = cli.run("log", "checkpoint-bundle", log);
    assertEquals(1, none.code());
    assertTrue(none.stderr().contains("no final checkpoint"), none.stderr());
    Cli.Result badQuorum = cli.run("log", "create", "x", "--writer", other, "--quorum", "1");
    assertEquals(1, badQuorum.code());
    assertTrue(badQuorum.stderr().contains("majority"), badQuorum.stderr());
  }

  @Test
  void garbageCollectionKeepsEveryLogEntryAndManifest() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String empty = one(cli.run("log", "create", "empty"));
    String log = one(cli.run("log", "create", "loans"));
    for (int i = 0; i < 5; i++) {
      one(cli.runWithInput(json("{\"n\":" + i + "}"), "log", "append", log));
    }
    String loose = one(cli.runWithInput(json("{\"loose\":true}"), "dag", "put"));
    Cli.Result gc = cli.run("repo", "gc");
    assertEquals(0, gc.code(), gc.stderr());
    // Only the loose block goes (gc names blocks as Kubo does: CIDv1 raw of the multihash).
    assertEquals(1, gc.lines().size(), gc.stdout());
    assertEquals(
        Cid.parse(loose).multihash(), Cid.parse(gc.lines().get(0).split(" ")[1]).multihash());
    Cli.Result verify = cli.run("log", "verify", log);
    assertEquals(0, verify.code(), verify.stderr());
    assertEquals("count 5", verify.lines().get(0));
    assertEquals(List.of("count 0"), cli.run("log", "verify", empty).lines());
  }

  @Test
  void verifyExitsNonZeroWhenAnEntryIsMissing() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String log = one(cli.run("log", "create", "loans"));
    String first = one(cli.runWithInput(json("{\"n\":1}"), "log", "append", log));
    one(cli.runWithInput(json("{\"n\":2}"), "log", "append", log));
    assertEquals(0, cli.run("block", "rm", first).code());
    Cli.Result verify = cli.run("log", "verify", log);
    assertEquals(1, verify.code());
    assertTrue(verify.stderr().contains("DANGLING_LINK"), verify.stderr());
    assertTrue(verify.stderr().contains("missing " + first), verify.stderr());
  }

  @Test
  void refusesAnUnknownLogAndANonEd25519Writer() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String log = one(cli.run("log", "create", "loans"));
    Cli.Result unknown =
        cli.run("log", "heads", "bafyreia3jgnpn6w3wpvdc7qlyv7rkqjmxrrdaqohtgmwwje5mbpcef6hkq");
    assertEquals(1, unknown.code());
    assertTrue(unknown.stderr().contains("does not hold log"), unknown.stderr());
    Cli.Result badWriter =
        cli.run("log", "create", "x", "--writer", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertEquals(1, badWriter.code());
    assertTrue(badWriter.stderr().contains("Ed25519"), badWriter.stderr());
    Cli.Result notJson = cli.runWithInput(json("{nope"), "log", "append", log);
    assertEquals(1, notJson.code());
  }
}
