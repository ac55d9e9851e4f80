package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinCliTest {
  @TempDir Path tmp;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Cli cli() {
    return new Cli(tmp.resolve("repo"));
  }

  private static String add(Cli cli, byte[] data, String... flags) {
    String[] args = Stream.concat(Stream.of("add", "-Q"), Stream.of(flags)).toArray(String[]::new);
    Cli.Result r = cli.runWithInput(data, args);
    assertEquals(0, r.code(), r.stderr());
    return r.stdout().trim();
  }

  @Test
  void addPinsRecursivelyByDefaultAndPinLsPrintsKubosLines() {
    Cli cli = cli();
    String pinned = add(cli, bytes("hello world\n"));
    // Kubo's CID for "hello world\n" with its default settings.
    assertEquals("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", pinned);
    String unpinned = add(cli, bytes("not pinned\n"), "--pin=false");
    assertEquals(List.of(pinned + " recursive"), cli.run("pin", "ls").lines());
    assertEquals(List.of(pinned), cli.run("pin", "ls", "--type=recursive", "-q").lines());
    assertEquals(List.of(), cli.run("pin", "ls", "--type=direct").lines());
    Cli.Result missing = cli.run("pin", "ls", unpinned);
    assertEquals(1, missing.code());
    assertEquals("Error: path '" + unpinned + "' is not pinned\n", missing.stderr());
    Cli.Result badType = cli.run("pin", "ls", "--type=some");
    assertEquals(1, badType.code());
    assertTrue(badType.stderr().contains("invalid type 'some'"), badType.stderr());
  }

  @Test
  void pinAddRmAndUpdateSpeakKubo() {
    Cli cli = cli();
    String a = add(cli, bytes("a\n"), "--pin=false");
    String b = add(cli, bytes("b\n"), "--pin=false");
    assertEquals(
        List.of("pinned " + a + " directly"), cli.run("pin", "add", "-r=false", a).lines());
    assertEquals(List.of(a + " direct"), cli.run("pin", "ls").lines());
    assertEquals(List.of("pinned " + a + " recursively"), cli.run("pin", "add", a).lines());
    assertEquals(List.of("updated " + a + " to " + b), cli.run("pin", "update", a, b).lines());
    assertEquals(List.of(b + " recursive"), cli.run("pin", "ls").lines());
    assertEquals(List.of("unpinned " + b), cli.run("pin", "rm", "/ipfs/" + b).lines());
    Cli.Result again = cli.run("pin", "rm", b);
    assertEquals(1, again.code());
    assertEquals("Error: not pinned or pinned indirectly\n", again.stderr());
  }

  @Test
  void blockRmRefusesPinnedBlocksWithTheReason() {
    Cli cli = cli();
    // 300 kB: a root over two 256 KiB chunks, so there is an indirect block to refuse too.
    Cli.Result added = cli.runWithInput(random(300_000, 1), "add", "-q");
    List<String> cids = added.lines();
    String root = cids.get(cids.size() - 1);
    String leaf = cli.run("pin", "ls", "--type=indirect", "-q").lines().get(0);
    Cli.Result rm = cli.run("block", "rm", root, leaf);
    assertEquals(1, rm.code());
    assertEquals(
        "cannot remove "
            + root
            + ": pinned: recursive\ncannot remove "
            + leaf
            + ": pinned via "
            + root
            + "\nError: some blocks not removed\n",
        rm.stderr());
    assertEquals(0, cli.run("pin", "rm", root).code());
    assertEquals(List.of("removed " + leaf), cli.run("block", "rm", leaf).lines());
  }

  @Test
  void repoGcRemovesOnlyWhatNoPinKeeps() {
    Cli cli = cli();
    byte[] keptData = random(600_000, 2);
    String kept = add(cli, keptData);
    String dropped = add(cli, random(400_000, 3), "--pin=false");
    Cli.Result gc = cli.run("repo", "gc");
    assertEquals(0, gc.code(), gc.stderr());
    // 400 kB: two leaves and a root.
    assertEquals(3, gc.lines().size(), gc.stdout());
    assertTrue(gc.lines().stream().allMatch(l -> l.startsWith("removed bafkrei")), gc.stdout());
    assertTrue(gc.stderr().startsWith("freed 3 blocks"), gc.stderr());
    assertEquals(1, cli.run("cat", dropped).code());
    Cli.Result cat = cli.run("cat", kept);
    assertEquals(0, cat.code(), cat.stderr());
    assertEquals(keptData.length, cat.stdoutBytes().length);
    assertEquals(List.of(), cli.run("repo", "gc", "-q").lines());
  }

  @Test
  void repoStatAlignsItsLabelsAsKubo() {
    Cli cli = cli();
    add(cli, bytes("x\n"));
    List<String> lines = cli.run("repo", "stat").lines();
    assertEquals(5, lines.size(), lines.toString());
    assertEquals("NumObjects: 1", lines.get(0));
    assertTrue(lines.get(1).matches("RepoSize:   \\d+"), lines.get(1));
    assertEquals("StorageMax: 10000000000", lines.get(2));
    assertEquals("RepoPath:   " + tmp.resolve("repo"), lines.get(3));
    assertEquals("Version:    tally-repo@1", lines.get(4));
    List<String> human = cli.run("repo", "stat", "--human", "--size-only").lines();
    // Kubo prints go-humanize's Bytes: SI units, e.g. "50 kB", and 10^10 bytes as "10 GB".
    assertTrue(human.get(0).matches("RepoSize:   \\d+(\\.\\d)? [kMG]?B"), human.toString());
    assertEquals("StorageMax: 10 GB", human.get(1));
  }

  @Test
  void aFlippedByteInAPackIsReportedByVerifyAndRefusedByCat() throws IOException {
    Cli cli = cli();
    String cid = add(cli, bytes("precious bytes\n"));
    assertEquals(
        List.of("verify complete, all blocks validated."), cli.run("repo", "verify").lines());
    Path pack;
    try (Stream<Path> ls = Files.list(tmp.resolve("repo/blocks"))) {
      pack = ls.filter(p -> p.toString().endsWith(".pack")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
      f.seek(f.length() - 3);
      int b = f.read();
      f.seek(f.length() - 3);
      f.write(b ^ 1);
    }
    Cli.Result verify = cli.run("repo", "verify");
    assertEquals(1, verify.code());
    assertEquals(1, verify.lines().size(), verify.stdout());
    assertTrue(verify.lines().get(0).startsWith("block bafkrei"), verify.stdout());
    assertEquals("Error: verify complete, some blocks were corrupt\n", verify.stderr());
    Cli.Result cat = cli.run("cat", cid);
    assertNotEquals(0, cat.code());
    assertTrue(cat.stderr().contains("corrupt"), cat.stderr());
    assertFalse(cli.run("pin", "verify").lines().isEmpty());
    assertEquals(List.of(cid), cli.run("pin", "verify", "-q").lines());
  }
}
