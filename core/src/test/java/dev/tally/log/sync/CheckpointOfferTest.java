package dev.tally.log.sync;

import static dev.tally.log.sync.SyncPeers.await;
import static dev.tally.log.sync.SyncPeers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.CarEdit;
import dev.tally.log.Checkpoint;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.Entry;
import dev.tally.log.FinalCheckpoint;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fresh replica asks its peers for their latest final checkpoint before the history (ADR 027): it
 * starts from an honest peer's bundle, and refuses a hostile peer's bundle that lacks a quorum,
 * ignoring that peer.
 */
class CheckpointOfferTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Three writers, quorum two: writer 0 proposes, writer 1 endorses. */
  private static Checkpoint finalCheckpoint(SyncPeers.Peer a) {
    Entry c = a.log.checkpoints().propose(a.key);
    a.log.checkpoints().endorse(c.cid(), SyncPeers.key(1));
    Checkpoint f = a.log.checkpoints().latestFinal().orElseThrow();
    assertEquals(c.cid(), f.cid());
    return f;
  }

  private static byte[] bundle(SyncPeers.Peer a, Cid checkpoint) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointBundle.write(a.log, checkpoint, out);
    return out.toByteArray();
  }

  @Test
  void aFreshReplicaStartsFromItsPeersLatestFinalCheckpointThenFetchesTheHistory() {
    try (SyncPeers net = new SyncPeers(3, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(3000, "before");
      Checkpoint f = finalCheckpoint(a);
      a.append(200, "after");
      a.saved.put(a.log.id(), a.log.heads());

      SyncPeers.Peer b = net.peer(5);
      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b holds a's heads");
      FinalCheckpoint start = b.log.startedFrom().orElseThrow();
      assertEquals(f.cid(), start.checkpoint().cid());
      assertEquals(3000, start.checkpoint().count());
      assertEquals(3202, b.log.size()); // 3,000 + checkpoint + endorsement + 200
      assertEquals(a.log.order(), b.log.order());
      assertEquals(f.cid(), b.log.checkpoints().latestFinal().orElseThrow().cid());
      assertTrue(b.log.verify().ok());
      assertEquals(Map.of(), b.sync.forgedCheckpointsBy(a.log.id()));
    }
  }

  @Test
  void aReplicaHoldingOnlyAPrefixStillStartsFromTheCheckpoint() {
    try (SyncPeers net = new SyncPeers(3, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(1000, "early");
      java.util.List<Cid> prefix = a.log.heads();
      a.append(2000, "before");
      Checkpoint f = finalCheckpoint(a);
      SyncPeers.Peer b = net.peer(5);
      b.log.join(prefix, a.store::get); // what b had saved before a restart
      assertEquals(1000, b.log.size());
      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b holds a's heads");
      assertEquals(f.cid(), b.log.startedFrom().orElseThrow().checkpoint().cid());
      assertTrue(b.log.verify().ok());
    }
  }

  @Test
  void aReplicaThatOnlySyncedTheCheckpointOffersIt() {
    try (SyncPeers net = new SyncPeers(3, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(500, "before");
      Checkpoint f = finalCheckpoint(a);
      SyncPeers.Peer b = net.peer(5);
      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b synced a");
      // b never computed the order index; it rebuilds it to offer the bundle.
      SyncPeers.Peer c = net.peer(6);
      c.connect(b);
      eventually(WAIT, () -> c.log.heads().equals(a.log.heads()), "c synced from b");
      assertEquals(f.cid(), c.log.startedFrom().orElseThrow().checkpoint().cid());
    }
  }

  @Test
  void aBundleOverTheSizeLimitIsNotTakenAndTheHistorySyncsAsBefore() {
    SyncOptions small = SyncPeers.fast().toBuilder().maxCheckpointBytes(128 * 1024).build();
    try (SyncPeers net = new SyncPeers(3, small)) {
      SyncPeers.Peer a = net.peer(0);
      a.append(5000, "before"); // an order index of 5,000 CIDs: about 190 KB
      finalCheckpoint(a);
      SyncPeers.Peer b = net.peer(5);
      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b synced a");
      assertTrue(b.log.startedFrom().isEmpty());
      assertEquals(Map.of(), b.sync.forgedCheckpointsBy(a.log.id()), "too big is not forged");
    }
  }

  @Test
  void aForgedBundleIsRefusedAndItsPeerIgnoredWhileAnHonestOneIsUsed() throws Exception {
    try (SyncPeers net = new SyncPeers(3, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(1000, "before");
      Checkpoint f = finalCheckpoint(a);
      a.append(10, "after");
      a.saved.put(a.log.id(), a.log.heads());
      // The hostile peer drops the endorsement: the checkpoint alone is one signer of a quorum 2.
      Set<Cid> endorsements = Set.copyOf(f.endorsements());
      byte[] forged = CarEdit.without(bundle(a, f.cid()), endorsements::contains);
      byte[] body = DagCbor.encode(IpldNode.map().put("car", IpldNode.of(forged)).build());
      Buffer answer = Buffer.buffer(Varint.encode(body.length)).appendBytes(body);

      SyncPeers.Peer b = net.peer(5);
      BasicHost hostile = net.rawHost(77);
      hostile.setHandler(
          CheckpointOffer.PROTOCOL,
          s ->
              s.handler(
                  data -> {
                    s.write(answer);
                    s.end();
                  }));
      await(hostile.dial(b.address()));
      Stream announce = await(hostile.newStream(b.id(), LogSync.PROTOCOL));
      SyncCodec codec = new SyncCodec(net.options);
      await(announce.write(codec.encode(new SyncMessage.Heads(a.log.id(), a.log.heads()))));
      announce.end();

      eventually(
          WAIT,
          () -> b.sync.forgedCheckpointsBy(a.log.id()).equals(Map.of(hostile.peerId(), 1L)),
          "b refused the hostile peer's bundle");
      assertTrue(b.log.startedFrom().isEmpty(), "the forged bundle was not vouched");
      assertEquals(0, b.log.size(), "nothing was fetched from the hostile peer");

      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b synced from the honest a");
      assertEquals(f.cid(), b.log.startedFrom().orElseThrow().checkpoint().cid());
      assertTrue(b.log.verify().ok());
    }
  }
}
