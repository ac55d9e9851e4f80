package dev.tally.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.pin.PinVerification;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link CrashWorker}) with SIGKILL at random moments while it adds, pins,
 * unpins and collects garbage (with pack compaction); after each kill the repo must open without
 * repair and hold every acknowledged pin and block, each verifying against its CID. {@code
 * -Dcrash.kills=N} (default 50) sets the number of kills; the long run is {@code mvn -o -pl
 * core,storage -am test -Dtest=CrashHarnessTest -Dcrash.kills=1000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class CrashHarnessTest {
  @TempDir Path tmp;

  /** What the acknowledgements so far promise. */
  private static final class Promises {
    final Map<Cid, PinType> pins = new HashMap<>();
    final Set<Cid> blocksSinceGc = new HashSet<>();
    final List<String> log = new ArrayList<>();

    void apply(String line) {
      log.add(line);
      String[] f = line.split(" ");
      switch (f[0] + " " + f[1]) {
        case "ACK recursive" -> pins.put(Cid.parse(f[2]), PinType.RECURSIVE);
        case "ACK direct" -> pins.put(Cid.parse(f[2]), PinType.DIRECT);
        case "ACK block" -> blocksSinceGc.add(Cid.parse(f[2]));
        case "BEGIN unpin" -> pins.remove(Cid.parse(f[2]));
        case "BEGIN gc" -> blocksSinceGc.clear();
        default -> {}
      }
    }
  }

  @Test
  void everyAcknowledgedPinAndBlockSurvivesKillNine() throws Exception {
    int kills = Integer.getInteger("crash.kills", 50);
    Path dir = tmp.resolve("repo");
    Repo.init(dir, RepoConfig.defaults()).close();
    Promises promises = new Promises();
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    long start = System.nanoTime();
    System.out.printf("crash harness: %d kills, -Dcrash.seed=%d replays this run%n", kills, seed);
    long acked = 0;
    long[] repairs = new long[2];
    Map<String, Integer> killedDuring = new TreeMap<>();
    for (int kill = 0; kill < kills; kill++) {
      List<String> lines = runAndKill(dir, random.nextLong(), random.nextInt(400));
      if (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("BEGIN ")) {
        killedDuring.merge(lines.get(lines.size() - 1).split(" ")[1], 1, Integer::sum);
      }
      for (String line : lines) {
        promises.apply(line);
        acked += line.startsWith("ACK") ? 1 : 0;
      }
      promises.log.add("-- kill " + kill + " --");
      try {
        check(dir, promises, kill, repairs);
      } catch (AssertionError e) {
        throw new AssertionError("crash.seed=" + seed + ": " + e.getMessage(), e);
      }
    }
    System.out.printf(
        "crash harness: %d kills, %d acknowledged operations, %d pins checked at the end,"
            + " %d torn tail bytes cut and %d unacknowledged records re-indexed on reopen;"
            + " kills inside an unpin / gc: %s; %.0f s%n",
        kills,
        acked,
        promises.pins.size(),
        repairs[0],
        repairs[1],
        killedDuring,
        (System.nanoTime() - start) / 1e9);
    assertTrue(acked > kills, "the worker acknowledged only " + acked + " operations");
  }

  private static List<String> runAndKill(Path dir, long seed, int delayMs) throws Exception {
    Path acks = dir.resolveSibling("worker.acks");
    Files.deleteIfExists(acks);
    Files.createFile(acks);
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorker.class.getName(),
                dir.toString(),
                Long.toString(seed),
                acks.toString())
            .redirectError(
                ProcessBuilder.Redirect.appendTo(dir.resolveSibling("worker.err").toFile()))
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.equals("READY")) {
                    ready.countDown();
                  } else {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the pipe breaks when the child dies
              }
            });
    reader.start();
    // Under a loaded machine a JVM start can take long; a child that died is reported at once.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!ready.await(100, TimeUnit.MILLISECONDS)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError(
            "the worker did not open the repo (exit "
                + (child.isAlive() ? "none" : child.exitValue())
                + "): "
                + lines
                + "\n"
                + workerErrors(dir));
      }
    }
    Thread.sleep(delayMs);
    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
    child.waitFor();
    reader.join();
    // Only lines the worker finished writing count: a line cut by the kill has no newline.
    String written = Files.readString(acks, StandardCharsets.UTF_8);
    List<String> whole = new ArrayList<>();
    for (String line : written.substring(0, written.lastIndexOf('\n') + 1).split("\n")) {
      if (line.matches("(ACK|BEGIN) \\S+( \\S+)?")) {
        whole.add(line);
      }
    }
    return whole;
  }

  /** The log lines that name {@code cid}, each with the kill it came before. */
  private static List<String> history(List<String> log, String cid) {
    List<String> out = new ArrayList<>();
    int kill = 0;
    for (String line : log) {
      if (line.startsWith("-- kill ")) {
        kill++;
      } else if (line.contains(cid) || line.startsWith("ACK rewrite")) {
        out.add("before kill " + kill + ": " + line);
      }
    }
    return out.subList(Math.max(0, out.size() - 30), out.size());
  }

  /** Where the pin journal's raw bytes hold {@code cid}, to tell a journal loss from a map loss. */
  private static String journalMentions(Path dir, Cid cid) {
    try {
      byte[] j = Files.readAllBytes(dir.resolve("pins.journal"));
      byte[] k = cid.bytes();
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i + k.length <= j.length; i++) {
        if (java.util.Arrays.equals(j, i, i + k.length, k, 0, k.length)) {
          at.add(i);
        }
      }
      return "pins.journal is " + j.length + " bytes, holds the CID at " + at;
    } catch (IOException e) {
      return "pins.journal unreadable: " + e;
    }
  }

  private static String workerErrors(Path dir) {
    try {
      String err = Files.readString(dir.resolveSibling("worker.err"), StandardCharsets.UTF_8);
      return err.substring(Math.max(0, err.length() - 4000));
    } catch (IOException e) {
      return "(no worker.err: " + e + ")";
    }
  }

  private static void check(Path dir, Promises promises, int kill, long[] repairs) {
    try (Repo repo = Repo.open(dir)) {
      repairs[0] += repo.blocks().truncatedOnOpen();
      repairs[1] += repo.blocks().recoveredOnOpen();
      Map<Cid, PinType> found = new HashMap<>();
      for (PinType t : List.of(PinType.RECURSIVE, PinType.DIRECT)) {
        for (Pin p : repo.pins().ls(Optional.of(t))) {
          found.put(p.cid(), p.type());
        }
      }
      for (Map.Entry<Cid, PinType> promised : promises.pins.entrySet()) {
        assertEquals(
            promised.getValue(),
            found.get(promised.getKey()),
            "after kill "
                + kill
                + ": pin "
                + promised.getKey()
                + "; its history: "
                + history(promises.log, promised.getKey().toString())
                + "; "
                + journalMentions(dir, promised.getKey())
                + "; last operations: "
                + promises.log.subList(Math.max(0, promises.log.size() - 40), promises.log.size()));
      }
      List<PinVerification> bad = new ArrayList<>();
      assertTrue(repo.pins().verify(false, bad::add), "after kill " + kill + ": " + bad);
      for (Cid cid : promises.blocksSinceGc) {
        Block b =
            repo.blocks()
                .get(cid)
                .orElseThrow(
                    () ->
                        new AssertionError(
                            "after kill "
                                + kill
                                + ": lost block "
                                + cid
                                + "; last operations: "
                                + promises.log.subList(
                                    Math.max(0, promises.log.size() - 40), promises.log.size())));
        assertTrue(cid.multihash().matches(b.bytes()), "corrupt " + cid);
      }
      List<String> corrupt = new ArrayList<>();
      repo.verify((cid, why) -> corrupt.add(cid + ": " + why));
      assertEquals(List.of(), corrupt, "after kill " + kill);
    }
  }
}
