package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.cat;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.importInto;
import static dev.tally.exchange.TestPeers.randomFile;
import static dev.tally.exchange.TestPeers.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.client.ClientOptions;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.server.ServerOptions;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One fetcher and seeders whose uploads are capped at the same rate: four seeders deliver the file
 * at least three times faster than one, each sending a fair share. The cap makes the ratio robust
 * on a loaded machine: one seeder cannot beat {@code size / cap}, whatever the CPU does.
 */
class MultiSourceFetchTest {
  private static final int SIZE = 3 * 1024 * 1024;
  private static final int CHUNK = 16 * 1024;

  /** One block per response, so the cap meters the transfer finely (a message leaves whole). */
  private static final ServerOptions SERVER = new ServerOptions(1024, 4, 32, CHUNK, 1024);

  /** Low enough that even a starved CPU (parallel builds on 2 cores) moves blocks far faster. */
  private static final long CAP = 256 * 1024;

  /**
   * Capped uploads; 32 live wants keep each of four seeders 0.5 s ahead, and keep one seeder's
   * queue (2 s) under the re-ask deadline, so no block is sent twice.
   */
  private static ExchangeOptions capped(boolean dagProtocol) {
    ClientOptions c = ClientOptions.defaults();
    ExchangeOptions o =
        ExchangeOptions.defaults()
            .withClient(
                new ClientOptions(
                    32, c.maxQueuedWants(), c.reaskAfter(), c.wantTimeout(), c.askedMemory()))
            .withServer(SERVER)
            .withMaxUploadBytesPerSecond(CAP);
    return o.withDag(DagOptions.defaults().withFetchWithPeers(dagProtocol));
  }

  /** Fetches the file from {@code seeders} fresh capped seeders; returns the seconds it took. */
  private static double fetch(int seeders, boolean dagProtocol, byte[] data, int seed)
      throws Exception {
    try (TestPeers peers = new TestPeers()) {
      List<Node> seeding = new ArrayList<>();
      for (int i = 0; i < seeders; i++) {
        Node s = peers.node(seed + i, new MemoryBlockstore(), capped(dagProtocol));
        importInto(data, CHUNK, s.store());
        seeding.add(s);
      }
      Node fetcher = peers.node(seed + 10, new MemoryBlockstore(), capped(dagProtocol));
      Cid root = importInto(data, CHUNK, new MemoryBlockstore());
      for (Node s : seeding) {
        connect(fetcher, s);
      }
      for (Node s : seeding) {
        // Identify tells the fetcher which seeders speak the DAG protocol (used if dagProtocol).
        waitFor(() -> fetcher.bitswap().dag().speaks(s.id()));
      }

      long start = System.nanoTime();
      DagFetch.Progress done = await(fetcher.bitswap().fetchDag(root).done());
      double seconds = (System.nanoTime() - start) / 1e9;

      assertArrayEquals(data, cat(fetcher.store(), root));
      long total = 0;
      List<Long> sent = new ArrayList<>();
      for (Node s : seeding) {
        long bytes = await(s.bitswap().bytesServed());
        sent.add(bytes);
        total += bytes;
      }
      assertTrue(total >= SIZE, "seeders sent " + total + " bytes of a " + SIZE + "-byte file");
      for (long bytes : sent) {
        assertTrue(
            bytes >= 0.15 * total, "a seeder sent " + bytes + " of " + total + " bytes: " + sent);
      }
      assertTrue(done.peers() == seeders, "blocks came from " + done.peers() + " peers");
      return seconds;
    }
  }

  @ParameterizedTest(name = "DAG protocol {0}")
  @ValueSource(booleans = {false, true})
  void fourCappedSeedersDeliverAtLeastThreeTimesFasterThanOne(boolean dagProtocol)
      throws Exception {
    byte[] data = randomFile(SIZE, 11);

    double one = fetch(1, dagProtocol, data, 100);
    double four = fetch(4, dagProtocol, data, 120);

    System.out.printf(
        "multi-source (DAG protocol %s): 1 seeder %.2f s, 4 seeders %.2f s, %.2fx%n",
        dagProtocol, one, four, one / four);
    assertTrue(
        // The cap delays each response until its bytes are due; the last message leaves at once
        // and an idle seeder may spend 50 ms of credit (under one more message) up front.
        one >= (SIZE - 2.0 * SERVER.targetMessageBytes()) / CAP,
        "one capped seeder cannot deliver faster than its cap: " + one + " s");
    assertTrue(
        one / four >= 3.0,
        String.format(
            "four seeders took %.2f s, one took %.2f s: only %.2fx", four, one, one / four));
  }
}
