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
import dev.tally.multiformats.Cid;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer that connects while a DAG fetch runs is given part of what is left. */
class LateJoinerFetchTest {
  private static final int SIZE = 8 * 1024 * 1024;
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @Test
  void aSeederThatConnectsDuringTheFetchServesSomeOfTheRemainingSubtrees() throws Exception {
    byte[] data = randomFile(SIZE, 61);
    // The first seeder sends 1 MiB/s, so alone it would need ~8 s: the fetch is far from done
    // when the second (uncapped) seeder arrives.
    Node slow =
        peers.node(
            61,
            new MemoryBlockstore(),
            TestPeers.fastOptions().withMaxUploadBytesPerSecond(1024 * 1024));
    Node late = peers.node(62);
    Cid root = importInto(data, 64 * 1024, slow.store(), late.store());
    Node fetcher = peers.node(63);
    connect(fetcher, slow);
    waitFor(() -> fetcher.bitswap().dag().speaks(slow.id()));

    DagFetch fetch = fetcher.bitswap().fetchDag(root);
    waitFor(() -> fetch.progress().fetched() > 0);
    assertTrue(fetch.progress().bytes() < SIZE / 2, "the fetch was nearly done before the join");
    connect(fetcher, late);
    await(fetch.done());

    assertArrayEquals(data, cat(fetcher.store(), root));
    Map<dev.tally.crypto.PeerId, Long> byPeer = fetch.blocksByPeer();
    long fromLate = byPeer.getOrDefault(late.id(), 0L);
    // 128 leaves of 64 KiB and a root: the late seeder should take a good part of them.
    assertTrue(fromLate >= 16, "the late joiner sent only " + fromLate + " blocks: " + byPeer);
  }
}
