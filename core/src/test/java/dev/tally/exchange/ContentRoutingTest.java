package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.randomFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.routing.ConnectedPeersRouting;
import dev.tally.exchange.routing.ContentRouting;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finding providers among connected peers with want-have. */
class ContentRoutingTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @Test
  void findsTheConnectedPeersThatHoldABlockAndNotTheOthers() {
    Node a = peers.node(1);
    Node b = peers.node(2);
    Node c = peers.node(3);
    Node asker = peers.node(4);
    Block big = Block.create(Multicodec.RAW, randomFile(5000, 1));
    a.store().put(big);
    c.store().put(big);
    connect(asker, a);
    connect(asker, b);
    connect(asker, c);
    ContentRouting routing = new ConnectedPeersRouting(asker.bitswap());
    long start = System.nanoTime();

    List<?> found = await(routing.findProviders(big.cid(), 10, Duration.ofSeconds(30)));

    assertEquals(2, found.size(), "found " + found);
    assertTrue(found.contains(a.id()) && found.contains(c.id()), "found " + found);
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20),
        "did not end when every peer had answered");
    assertEquals(0, asker.store().size(), "asking must not fetch the block");
    assertEquals(1, await(routing.findProviders(big.cid(), 1, Duration.ofSeconds(30))).size());
  }
}
