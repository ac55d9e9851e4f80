package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.randomFile;
import static dev.tally.exchange.TestPeers.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.ForwardingBlockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.pb.BitswapProto;
import dev.tally.exchange.server.ServerOptions;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server reads a peer's wants side by side: one read held up (a cold disk, a large block, a
 * store under GC) delays only its own want, while the configured bounds on reads in flight, per
 * peer and in all, hold against peers that want thousands of slow blocks; a cancel drops the wants
 * still queued.
 */
class ServerConcurrencyTest {
  private final TestPeers peers = new TestPeers();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    gate.countDown();
    peers.close();
  }

  /** Blocks every read of a gated CID until the test opens the gate; records what was read. */
  private final class GatedStore extends ForwardingBlockstore {
    private final List<Cid> gated;
    final List<Cid> reads = Collections.synchronizedList(new ArrayList<>());

    GatedStore(List<Cid> gated) {
      super(new MemoryBlockstore());
      this.gated = gated;
    }

    @Override
    public Optional<Block> get(Cid cid) {
      reads.add(cid);
      if (gated.contains(cid)) {
        try {
          assertTrue(gate.await(60, TimeUnit.SECONDS), "gate never opened");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return super.get(cid);
    }
  }

  @Test
  void aHeldReadDoesNotHoldUpThePeersOtherWants() throws Exception {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      blocks.add(Block.create(Multicodec.RAW, randomFile(200_000, 40 + i)));
    }
    Block held = blocks.get(0);
    GatedStore store = new GatedStore(List.of(held.cid()));
    store.putAll(blocks);
    Node seeder = peers.node(31, store, TestPeers.fastOptions());
    Node fetcher = peers.node(32);
    connect(fetcher, seeder);

    var heldFetch = fetcher.bitswap().get(held.cid());
    waitFor(() -> store.reads.contains(held.cid()));
    for (Block b : blocks.subList(1, blocks.size())) {
      // Well inside the client's timers: answered from the store at once, or not at all.
      assertEquals(b, fetcher.bitswap().get(b.cid()).await(10, TimeUnit.SECONDS));
    }
    assertTrue(!heldFetch.isComplete(), "the held block came while its read was held");

    gate.countDown();
    assertEquals(held, await(heldFetch));
  }

  @Test
  void hostilePeersWantingThousandsOfSlowBlocksNeverExceedTheReadLimits() {
    int perPeer = 3;
    int total = 5;
    int hostiles = 3;
    int wants = 1000;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicIntegerArray peerInFlight = new AtomicIntegerArray(hostiles);
    AtomicIntegerArray peerMax = new AtomicIntegerArray(hostiles);
    AtomicInteger reads = new AtomicInteger();
    ForwardingBlockstore slow =
        new ForwardingBlockstore(new MemoryBlockstore()) {
          @Override
          public Optional<Block> get(Cid cid) {
            int p = cid.multihash().digest()[0];
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            int mine = peerInFlight.incrementAndGet(p);
            peerMax.getAndUpdate(p, m -> Math.max(m, mine));
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            peerInFlight.decrementAndGet(p);
            inFlight.decrementAndGet();
            reads.incrementAndGet();
            return Optional.empty();
          }
        };
    ServerOptions limits =
        new ServerOptions(
            1024, total, perPeer, 512 * 1024, ServerOptions.defaults().inlineHaveLimit());
    Node seeder = peers.node(33, slow, TestPeers.fastOptions().withServer(limits));
    List<Stream> streams = new ArrayList<>();
    for (int p = 0; p < hostiles; p++) {
      List<BitswapProto.Message.Wantlist.Entry> entries = new ArrayList<>();
      for (int i = 0; i < wants; i++) {
        // No DONT_HAVE asked: this peer serves no Bitswap, so nothing is sent back to it.
        entries.add(entry(absent(p, i), wants - i, false, false));
      }
      Stream s = rawStream(peers.host(60 + p), seeder);
      s.write(frame(entries));
      streams.add(s);
    }

    waitFor(() -> reads.get() >= hostiles * wants);
    assertEquals(hostiles * wants, reads.get(), "each want read once");
    assertEquals(total, maxInFlight.get(), "reads in flight across peers");
    for (int p = 0; p < hostiles; p++) {
      assertEquals(perPeer, peerMax.get(p), "reads in flight for hostile peer " + p);
    }
    assertEquals(0, await(seeder.bitswap().readsInFlight()));
  }

  @Test
  void aCancelDropsWantsStillQueuedBehindHeldReads() {
    int perPeer = 2;
    List<Cid> first = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      first.add(absent(0, i));
    }
    GatedStore store = new GatedStore(first);
    ServerOptions limits =
        new ServerOptions(1024, 8, perPeer, 512 * 1024, ServerOptions.defaults().inlineHaveLimit());
    Node seeder = peers.node(34, store, TestPeers.fastOptions().withServer(limits));
    BasicHost rawHost = peers.host(70);
    Stream s = rawStream(rawHost, seeder);
    PeerId raw = rawHost.peerId();
    List<BitswapProto.Message.Wantlist.Entry> wants = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      wants.add(entry(first.get(i), 1000 - i, false, false));
    }
    s.write(frame(wants));
    waitFor(() -> store.reads.size() == perPeer);

    List<BitswapProto.Message.Wantlist.Entry> cancels = new ArrayList<>();
    for (Cid c : first) {
      cancels.add(entry(c, 0, true, false));
    }
    // Queued behind the cancelled wants (lowest priority): read next only if they were dropped.
    Cid sentinel = absent(1, 0);
    cancels.add(entry(sentinel, 1, false, false));
    s.write(frame(cancels));
    waitFor(() -> await(seeder.bitswap().wantlistOf(raw)).size() == 1);

    gate.countDown();
    waitFor(() -> store.reads.contains(sentinel));
    // The two held reads run on two workers and are recorded in whichever order they start;
    // what matters is that no other cancelled want was read before the sentinel.
    List<Cid> reads = List.copyOf(store.reads);
    assertEquals(3, reads.size(), "reads " + reads);
    assertEquals(
        java.util.Set.of(first.get(0), first.get(1)), java.util.Set.copyOf(reads.subList(0, 2)));
    assertEquals(sentinel, reads.get(2));
  }

  @Test
  void aWantAskedAgainWhileItsBlockIsReadIsReadOnce() {
    Cid x = absent(2, 0);
    Cid y = absent(2, 1);
    Cid queued = absent(2, 2);
    Cid later = absent(2, 3);
    GatedStore store = new GatedStore(List.of(x, y));
    ServerOptions limits =
        new ServerOptions(1024, 8, 2, 512 * 1024, ServerOptions.defaults().inlineHaveLimit());
    Node seeder = peers.node(35, store, TestPeers.fastOptions().withServer(limits));
    BasicHost rawHost = peers.host(71);
    Stream s = rawStream(rawHost, seeder);
    s.write(frame(List.of(entry(x, 10, false, false), entry(y, 9, false, false))));
    waitFor(() -> store.reads.size() == 2);
    s.write(frame(List.of(entry(queued, 2, false, false))));
    // The same two wants again, as clients re-send them, and one more to know all was applied.
    s.write(
        frame(
            List.of(
                entry(x, 10, false, false),
                entry(y, 9, false, false),
                entry(later, 1, false, false))));
    waitFor(() -> await(seeder.bitswap().wantlistOf(rawHost.peerId())).size() == 4);

    gate.countDown();
    waitFor(() -> store.reads.contains(queued) && store.reads.contains(later));
    assertEquals(4, store.reads.size(), "reads: " + store.reads);
  }

  private static Cid absent(int peer, int i) {
    byte[] digest = new byte[32];
    digest[0] = (byte) peer;
    digest[1] = (byte) i;
    digest[2] = (byte) (i >> 8);
    return Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest));
  }

  private static BitswapProto.Message.Wantlist.Entry entry(
      Cid c, int priority, boolean cancel, boolean sendDontHave) {
    return BitswapProto.Message.Wantlist.Entry.newBuilder()
        .setBlock(ByteString.copyFrom(c.bytes()))
        .setPriority(priority)
        .setCancel(cancel)
        .setWantType(BitswapProto.Message.Wantlist.WantType.Block)
        .setSendDontHave(sendDontHave)
        .build();
  }

  private static Buffer frame(List<BitswapProto.Message.Wantlist.Entry> entries) {
    BitswapProto.Message m =
        BitswapProto.Message.newBuilder()
            .setWantlist(BitswapProto.Message.Wantlist.newBuilder().addAllEntries(entries))
            .build();
    return Buffer.buffer(MessageCodec.frame(m.toByteArray()));
  }

  private static Stream rawStream(BasicHost raw, Node to) {
    await(raw.dial(to.host().listenAddresses().get(0).encapsulate("/p2p/" + to.id())));
    return await(raw.newStream(to.id(), ProtocolVersion.V1_2_0.id()));
  }
}
