package dev.tally.log.sync;

import static dev.tally.log.sync.SyncPeers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.log.Entry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two and five Tally nodes replicating one log over /tally/log/1.0.0 on loopback. */
class LogSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aNewPeerCatchesUpOnConnectInFewRequests() {
    try (SyncPeers net = new SyncPeers(2, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(5000, "a");
      SyncPeers.Peer b = net.peer(1);
      b.connect(a);
      eventually(
          WAIT,
          () -> b.sync.progress(a.log.id()).orElseThrow().verified() == 5000,
          "b verified a's 5000 entries");
      assertEquals(a.log.heads(), b.log.heads());
      assertEquals(5000, b.log.size());
      SyncProgress p = b.sync.progress(a.log.id()).orElseThrow();
      assertEquals(5000, p.fetched());
      assertEquals(0, p.rejected());
      assertTrue(b.log.verify().ok());
      assertEquals(b.log.heads(), b.saved.get(a.log.id()), "b saved the heads it synced to");
    }
  }

  @Test
  void appendsOnBothSidesReachTheOther() {
    try (SyncPeers net = new SyncPeers(2, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      SyncPeers.Peer b = net.peer(1);
      b.connect(a);
      for (int round = 0; round < 20; round++) {
        a.append(25, "a" + round);
        b.append(25, "b" + round);
      }
      eventually(
          WAIT,
          () -> a.log.size() == 1000 && b.log.heads().equals(a.log.heads()),
          "both hold all 1000 entries with the same heads");
      assertEquals(
          a.log.traverse().map(Entry::cid).toList(), b.log.traverse().map(Entry::cid).toList());
    }
  }

  @Test
  void fiveNodesConvergeDespiteConcurrentAppendsPartitionsAndACrash() throws Exception {
    try (SyncPeers net = new SyncPeers(5, SyncPeers.fast())) {
      List<SyncPeers.Peer> ps =
          List.of(net.peer(0), net.peer(1), net.peer(2), net.peer(3), net.peer(4));
      // A partition: {0, 1, 2} and {3, 4}.
      ps.get(1).connect(ps.get(0));
      ps.get(2).connect(ps.get(1));
      ps.get(4).connect(ps.get(3));
      Thread[] writers = new Thread[5];
      for (int i = 0; i < 5; i++) {
        SyncPeers.Peer p = ps.get(i);
        writers[i] =
            new Thread(
                () -> {
                  for (int round = 0; round < 40; round++) {
                    p.append(50, "n" + p.seed + "r" + round);
                    if (p.seed == 4 && round == 20) {
                      // Node 4 dies mid-run and comes back from what it had saved.
                      p.crash();
                      p.start();
                      p.connect(ps.get(3));
                    }
                  }
                });
        writers[i].start();
      }
      for (Thread t : writers) {
        t.join();
      }
      // Heal: everyone meets node 0.
      for (int i = 1; i < 5; i++) {
        ps.get(i).connect(ps.get(0));
      }
      ps.get(4).connect(ps.get(2));
      eventually(
          WAIT,
          () ->
              ps.stream()
                  .allMatch(
                      p -> p.log.size() == 10_000 && p.log.heads().equals(ps.get(0).log.heads())),
          "all five hold 10,000 entries with the same heads");
      List<dev.tally.multiformats.Cid> order = ps.get(0).log.order();
      for (SyncPeers.Peer p : ps) {
        assertEquals(order, p.log.order());
        assertEquals(10_000, p.log.verify().count());
        assertTrue(p.log.verify().ok());
      }
    }
  }
}
