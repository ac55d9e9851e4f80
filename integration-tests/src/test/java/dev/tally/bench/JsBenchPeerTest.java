package dev.tally.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.bench.NetCeilings.StalledException;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Multiaddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetBench's waits on its Node processes end: a js-libp2p sender that stops moving, or that does
 * not exit after its last run, fails the run after the stall time with what it had done (before ADR
 * 039 the bench read its output with no deadline and waited until someone killed it), and no Node
 * process outlives its run. The senders here are stand-in scripts that print what
 * bench/net-bench.mjs prints and then misbehave.
 */
class JsBenchPeerTest {
  private static final Duration STALL = Duration.ofSeconds(1);
  private static final Multiaddr TARGET =
      Multiaddr.parse(
          "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWE3quQCP6Xu7eXpcmmpwVS1KofWnPCBWYNHCswgaqwCso");

  @TempDir Path dir;

  @AfterEach
  void noNodeProcessOutlivesItsRun() {
    List<ProcessHandle> left =
        ProcessHandle.current()
            .descendants()
            .filter(h -> h.info().commandLine().orElse("").contains(dir.toString()))
            .toList();
    assertEquals(List.of(), left);
  }

  private JsBenchPeer peer(String script) throws Exception {
    Path file = dir.resolve("sender.mjs");
    Files.writeString(file, script);
    Path node = NodeScripts.itDir().resolve("node_modules/.bin/node");
    return new JsBenchPeer(node, file, STALL);
  }

  @Test
  void aSenderWhoseByteCountStandsStillFailsAfterTheStallTimeWithWhatItHadSent() throws Exception {
    // Alive and still printing, but its count no longer moves: a stalled transfer.
    JsBenchPeer js =
        peer(
            """
            const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n')
            out({ sent: 65536 })
            setInterval(() => out({ sent: 131072 }), 100)
            """);
    long start = System.nanoTime();
    StalledException e = assertThrows(StalledException.class, () -> js.send(TARGET, 1024, 2, 1, 1));
    assertTrue(
        e.getMessage().contains("reported 0 of 2 runs, sent 131072 bytes; no progress for 1000 ms"),
        e.getMessage());
    assertTrue(e.getMessage().contains(TARGET + ", 2 stream(s)"), e.getMessage());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
  }

  @Test
  void aSenderThatReportedEveryRunButDoesNotExitFailsAfterTheStallTime() throws Exception {
    JsBenchPeer js =
        peer(
            """
            const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n')
            out({ run: 0, millis: 5, bytes: 2048 })
            out({ run: 1, millis: 4, bytes: 2048 })
            setInterval(() => {}, 1000)
            """);
    StalledException e = assertThrows(StalledException.class, () -> js.send(TARGET, 1024, 2, 1, 1));
    assertTrue(
        e.getMessage().contains("reported all 2 runs but did not exit; no progress for 1000 ms"),
        e.getMessage());
  }

  @Test
  void aSenderThatKeepsMovingIsWaitedForBeyondTheStallTime() throws Exception {
    // Three stall times of slow but moving progress, then its runs: a slow run is not a stall.
    JsBenchPeer js =
        peer(
            """
            const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n')
            let sent = 0
            const t = setInterval(() => out({ sent: sent += 100 }), 200)
            setTimeout(() => {
              clearInterval(t)
              out({ run: 0, millis: 1500, bytes: 2048 })
              out({ run: 1, millis: 1250, bytes: 2048 })
            }, 3000)
            """);
    assertEquals(List.of(1.25), js.send(TARGET, 1024, 2, 1, 1));
  }

  @Test
  void aSenderThatFailsIsReportedWithItsExitCode() throws Exception {
    JsBenchPeer js =
        peer(
            """
            process.stderr.write('dial failed\\n')
            process.exit(3)
            """);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> js.send(TARGET, 1024, 2, 1, 1));
    assertTrue(
        e.getMessage().contains("failed (exit 3) after reporting 0 of 2 runs"), e.getMessage());
  }

  @Test
  void aListenerThatNeverPrintsItsAddressFailsAfterTheStallTime() throws Exception {
    JsBenchPeer js = peer("setInterval(() => {}, 1000)\n");
    StalledException e = assertThrows(StalledException.class, () -> js.listen("00"));
    assertTrue(e.getMessage().contains("printed no address within 1000 ms"), e.getMessage());
  }
}
