package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.cat;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.failure;
import static dev.tally.exchange.TestPeers.fastOptions;
import static dev.tally.exchange.TestPeers.importInto;
import static dev.tally.exchange.TestPeers.randomFile;
import static dev.tally.exchange.TestPeers.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.client.ClientOptions;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.pb.BitswapProto;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tally hosts on 127.0.0.1 exchanging blocks over Bitswap, including hostile peers. */
class BitswapExchangeTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private BasicHost host(int seed) {
    return peers.host(seed);
  }

  private Node node(int seed, Blockstore store, ExchangeOptions options) {
    return peers.node(seed, store, options);
  }

  private Node node(int seed) {
    return peers.node(seed);
  }

  @Test
  void fetchesAUnixfsFileFromOneSeeder() throws IOException {
    Node seeder = node(1);
    Node fetcher = node(2);
    byte[] data = randomFile(3 * 1024 * 1024 + 123, 1);
    Cid root = importInto(data, seeder.store());
    connect(fetcher, seeder);

    DagFetch fetch = fetcher.bitswap().fetchDag(root);
    DagFetch.Progress done = await(fetch.done());

    assertArrayEquals(data, cat(fetcher.store(), root));
    assertEquals(seeder.store().size(), fetcher.store().size());
    assertEquals(fetcher.store().size(), done.fetched());
    assertEquals(1, done.peers());
    assertTrue(done.bytes() >= data.length, "counted " + done.bytes() + " bytes");
  }

  @Test
  void keepsALedgerOfWhatEachPeerSentAndReceived() throws IOException {
    Node seeder = node(70);
    Node fetcher = node(71);
    byte[] data = randomFile(2 * 1024 * 1024, 12);
    Cid root = importInto(data, seeder.store());
    connect(fetcher, seeder);

    await(fetcher.bitswap().fetchDag(root).done());

    long stored = seeder.store().totalBytes();
    PeerLedger got = await(fetcher.bitswap().ledger(seeder.id()));
    PeerLedger gave = await(seeder.bitswap().ledger(fetcher.id()));
    assertEquals(stored, got.bytesReceived());
    assertEquals(seeder.store().size(), got.blocksReceived());
    assertEquals(0, got.bytesSent());
    assertEquals(stored, gave.bytesSent());
    assertEquals(seeder.store().size(), gave.exchanged());
  }

  @Test
  void fetchesFromFourSeedersAtOnce() throws IOException {
    byte[] data = randomFile(4 * 1024 * 1024, 2);
    List<Node> seeders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Node s = node(10 + i);
      importInto(data, s.store());
      seeders.add(s);
    }
    Node fetcher = node(20);
    Cid root = importInto(data, new MemoryBlockstore());
    for (Node s : seeders) {
      connect(fetcher, s);
    }

    DagFetch.Progress done = await(fetcher.bitswap().fetchDag(root).done());

    assertArrayEquals(data, cat(fetcher.store(), root));
    long served = 0;
    int contributing = 0;
    for (Node s : seeders) {
      long n = await(s.bitswap().blocksServed());
      served += n;
      contributing += n > 0 ? 1 : 0;
    }
    assertTrue(served >= done.fetched(), served + " served for " + done.fetched() + " fetched");
    assertTrue(contributing >= 2, "only " + contributing + " of 4 seeders sent blocks");
    assertTrue(done.peers() >= 2, "blocks came from " + done.peers() + " peers");
  }

  @Test
  void completesWhenTwoOfFourSeedersDieMidDownload() throws IOException {
    byte[] data = randomFile(8 * 1024 * 1024, 7);
    List<Node> seeders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Node s = node(60 + i);
      importInto(data, s.store());
      seeders.add(s);
    }
    Node fetcher = node(64);
    Cid root = importInto(data, new MemoryBlockstore());
    for (Node s : seeders) {
      connect(fetcher, s);
    }

    DagFetch fetch = fetcher.bitswap().fetchDag(root);
    waitFor(() -> fetch.progress().fetched() >= 20);
    await(seeders.get(0).host().close());
    await(seeders.get(1).host().close());
    long atKill = fetch.progress().fetched();
    DagFetch.Progress done = await(fetch.done());

    assertTrue(done.fetched() > atKill, "nothing fetched after the kill");
    assertArrayEquals(data, cat(fetcher.store(), root));
  }

  @Test
  void closesIdleStreamsAndReopensThemWhenNeeded() {
    ExchangeOptions quick = fastOptions().withIdleStreamTimeout(Duration.ofMillis(300));
    Node seeder = node(65, new MemoryBlockstore(), quick);
    Node fetcher = node(66, new MemoryBlockstore(), quick);
    Block first = Block.create(Multicodec.RAW, randomFile(4000, 9));
    Block second = Block.create(Multicodec.RAW, randomFile(4000, 10));
    seeder.store().put(first);
    seeder.store().put(second);
    connect(fetcher, seeder);

    assertEquals(first, await(fetcher.bitswap().get(first.cid())));
    waitFor(() -> seeder.host().connections().get(0).streamCount() == 0);
    assertEquals(second, await(fetcher.bitswap().get(second.cid())));
  }

  @Test
  void failsFastWhenEveryPeerAnswersDontHave() {
    Node a = node(30);
    Node b = node(31);
    Node fetcher =
        node(
            32,
            new MemoryBlockstore(),
            ExchangeOptions.defaults()
                .withClient(
                    ClientOptions.defaults()
                        .withTimers(Duration.ofSeconds(30), Duration.ofSeconds(30))));
    connect(fetcher, a);
    connect(fetcher, b);
    Cid missing = Block.create(Multicodec.RAW, new byte[] {1, 2, 3}).cid();
    long start = System.nanoTime();

    Throwable e = failure(fetcher.bitswap().get(missing));

    assertInstanceOf(ExchangeException.class, e);
    assertTrue(e.getMessage().contains("DONT_HAVE"), e.getMessage());
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "DONT_HAVE did not end it");
  }

  @Test
  void failsWithAClearErrorWhenNoPeerSendsTheBlockInTime() {
    Node fetcher =
        node(
            33,
            new MemoryBlockstore(),
            ExchangeOptions.defaults()
                .withClient(
                    ClientOptions.defaults()
                        .withTimers(Duration.ofMillis(200), Duration.ofMillis(700))));
    Cid missing = Block.create(Multicodec.RAW, new byte[] {4}).cid();
    Throwable e = failure(fetcher.bitswap().get(missing));
    assertInstanceOf(ExchangeException.class, e);
    assertTrue(e.getMessage().contains("no peer sent block " + missing), e.getMessage());
  }

  @Test
  void answersSmallWantHavesWithTheBlockAndServesBothCidVersions() {
    Node seeder = node(34);
    Node fetcher = node(35);
    byte[] pb = {0x0a, 0x02, 0x08, 0x01};
    Cid v0 = Cid.parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
    seeder.store().put(Block.of(v0, pb));
    connect(fetcher, seeder);
    Block got = await(fetcher.bitswap().get(v0.toV1()));
    assertEquals(v0.toV1(), got.cid());
    assertArrayEquals(pb, got.bytes());
  }

  /** A seeder whose store returns corrupted bytes for every block. */
  private static final class CorruptStore implements Blockstore {
    private final MemoryBlockstore inner = new MemoryBlockstore();

    @Override
    public boolean has(Cid cid) {
      return inner.has(cid);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      return inner
          .get(cid)
          .map(
              b -> {
                byte[] bytes = b.bytes();
                bytes[bytes.length / 2] ^= 0x5a;
                return Block.ofOwned(cid, bytes);
              });
    }

    @Override
    public void put(Block block) {
      inner.put(block);
    }

    @Override
    public void putAll(Collection<Block> batch) {
      inner.putAll(batch);
    }

    @Override
    public boolean delete(Cid cid) {
      return inner.delete(cid);
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public long totalBytes() {
      return inner.totalBytes();
    }

    @Override
    public java.util.stream.Stream<Multihash> keys() {
      return inner.keys();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void detectsASeederSendingWrongBytesAndCompletesFromAnHonestOne() throws IOException {
    Node liar = node(40, new CorruptStore(), fastOptions());
    Node honest = node(41);
    Node fetcher = node(42);
    byte[] data = randomFile(1024 * 1024, 3);
    Cid root = importInto(data, liar.store(), honest.store());
    connect(fetcher, liar);
    // The liar speaks the DAG protocol too: its corrupt CAR must not stall the fetch either.
    waitFor(() -> fetcher.bitswap().dag().speaks(liar.id()));

    DagFetch fetch = fetcher.bitswap().fetchDag(root);
    waitFor(() -> await(fetcher.bitswap().badPeers()).contains(liar.id()));
    assertEquals(0, fetcher.store().size(), "a corrupt block was stored");
    connect(fetcher, honest);
    await(fetch.done());

    assertArrayEquals(data, cat(fetcher.store(), root));
    assertEquals(Map.of(honest.id(), fetch.progress().fetched()), fetch.blocksByPeer());
  }

  @Test
  void completesFromHonestSeedersWhileOneLies() throws IOException {
    Node liar = node(43, new CorruptStore(), fastOptions());
    Node a = node(44);
    Node b = node(45);
    Node fetcher = node(46);
    byte[] data = randomFile(2 * 1024 * 1024, 4);
    Cid root = importInto(data, liar.store(), a.store(), b.store());
    connect(fetcher, liar);
    connect(fetcher, a);
    connect(fetcher, b);

    DagFetch fetch = fetcher.bitswap().fetchDag(root);
    await(fetch.done());

    assertArrayEquals(data, cat(fetcher.store(), root));
    assertTrue(!fetch.blocksByPeer().containsKey(liar.id()), "a liar's block was kept");
  }

  private static Buffer frame(byte[] body) {
    return Buffer.buffer(dev.tally.exchange.message.MessageCodec.frame(body));
  }

  @Test
  void resetsAStreamCarryingAnOversizedMessageAndKeepsServingOthers() {
    Node seeder = node(50);
    BasicHost raw = host(51);
    Node fetcher = node(52);
    Block block = Block.create(Multicodec.RAW, randomFile(5000, 5));
    seeder.store().put(block);
    await(raw.dial(seeder.host().listenAddresses().get(0).encapsulate("/p2p/" + seeder.id())));
    Stream s = await(raw.newStream(seeder.id(), ProtocolVersion.V1_2_0.id()));
    // A length prefix of 4 MiB + 1 (0x400001), then some of the body.
    s.write(Buffer.buffer(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x02}));
    s.write(Buffer.buffer(new byte[1024]));
    await(s.closeFuture());

    connect(fetcher, seeder);
    assertEquals(block, await(fetcher.bitswap().get(block.cid())));
  }

  @Test
  void trimsAHundredThousandEntryWantlistToTheLimitAndForgetsItOnDisconnect() {
    Node seeder = node(53);
    BasicHost raw = host(54);
    Node fetcher = node(55);
    Block block = Block.create(Multicodec.RAW, randomFile(3000, 6));
    seeder.store().put(block);
    await(raw.dial(seeder.host().listenAddresses().get(0).encapsulate("/p2p/" + seeder.id())));
    Stream s = await(raw.newStream(seeder.id(), ProtocolVersion.V1_2_0.id()));
    BitswapProto.Message.Wantlist.Builder wl = BitswapProto.Message.Wantlist.newBuilder();
    byte[] digest = new byte[32];
    for (int i = 0; i < 100_000; i++) {
      digest[0] = (byte) i;
      digest[1] = (byte) (i >> 8);
      digest[2] = (byte) (i >> 16);
      Cid c = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest));
      wl.addEntries(
          BitswapProto.Message.Wantlist.Entry.newBuilder()
              .setBlock(ByteString.copyFrom(c.bytes())));
    }
    byte[] body = BitswapProto.Message.newBuilder().setWantlist(wl).build().toByteArray();
    assertTrue(body.length < 4 * 1024 * 1024, "the wantlist must fit a message: " + body.length);
    s.write(frame(body));

    waitFor(() -> await(seeder.bitswap().wantlistOf(raw.peerId())).size() == 1024);
    connect(fetcher, seeder);
    assertEquals(block, await(fetcher.bitswap().get(block.cid())));
    assertEquals(1024, await(seeder.bitswap().wantlistOf(raw.peerId())).size());

    await(raw.close());
    waitFor(() -> await(seeder.bitswap().wantlistOf(raw.peerId())).isEmpty());
  }

  @Test
  void dropsAnUnrequestedBlockAndMarksItsSender() {
    Node fetcher = node(56);
    BasicHost raw = host(57);
    Block pushed = Block.create(Multicodec.RAW, randomFile(2000, 8));
    await(raw.dial(fetcher.host().listenAddresses().get(0).encapsulate("/p2p/" + fetcher.id())));
    Stream s = await(raw.newStream(fetcher.id(), ProtocolVersion.V1_2_0.id()));
    BitswapProto.Message m =
        BitswapProto.Message.newBuilder()
            .addPayload(
                BitswapProto.Message.Block.newBuilder()
                    .setPrefix(ByteString.copyFrom(new byte[] {1, 0x55, 0x12, 0x20}))
                    .setData(ByteString.copyFrom(pushed.bytes())))
            .build();
    s.write(frame(m.toByteArray()));

    waitFor(() -> await(fetcher.bitswap().badPeers()).contains(raw.peerId()));
    assertTrue(!fetcher.store().has(pushed.cid()), "an unrequested block was stored");
  }

  @Test
  void answersABitswap100PeerWithCidV0BlocksInFieldTwo() {
    Node seeder = node(58);
    BasicHost old = host(59);
    byte[] pb = {0x0a, 0x02, 0x08, 0x01};
    Cid v0 = Cid.parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
    seeder.store().put(Block.of(v0, pb));
    io.vertx.core.Promise<BitswapProto.Message> reply = io.vertx.core.Promise.promise();
    old.setHandler(
        ProtocolVersion.V1_0_0.id(),
        in -> {
          dev.tally.exchange.message.FrameDecoder d =
              new dev.tally.exchange.message.FrameDecoder(1 << 20);
          in.handler(
              b -> {
                d.feed(b);
                d.next()
                    .ifPresent(
                        body -> {
                          try {
                            reply.tryComplete(BitswapProto.Message.parseFrom(body));
                          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            reply.tryFail(e);
                          }
                        });
              });
          in.resume();
        });
    await(old.dial(seeder.host().listenAddresses().get(0).encapsulate("/p2p/" + seeder.id())));
    Stream s = await(old.newStream(seeder.id(), ProtocolVersion.V1_0_0.id()));
    BitswapProto.Message want =
        BitswapProto.Message.newBuilder()
            .setWantlist(
                BitswapProto.Message.Wantlist.newBuilder()
                    .addEntries(
                        BitswapProto.Message.Wantlist.Entry.newBuilder()
                            .setBlock(ByteString.copyFrom(v0.bytes()))
                            .setPriority(1)))
            .build();
    s.write(frame(want.toByteArray()));

    BitswapProto.Message got = await(reply.future());
    assertEquals(List.of(ByteString.copyFrom(pb)), got.getBlocksList());
    assertEquals(0, got.getPayloadCount());
    assertEquals(0, got.getBlockPresencesCount());
  }
}
