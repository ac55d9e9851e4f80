package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.cat;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.failure;
import static dev.tally.exchange.TestPeers.importInto;
import static dev.tally.exchange.TestPeers.randomFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.car.CarHeader;
import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.dag.DagException;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.dag.DagProtocol;
import dev.tally.exchange.dag.DagRequest;
import dev.tally.exchange.dag.DagResponse;
import dev.tally.exchange.dag.DagSummary;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Varint;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /tally/dag/1.0.0} between Tally hosts on 127.0.0.1, and against hostile senders. */
class DagProtocolTest {
  private final TestPeers peers = new TestPeers();
  private int fetchers;

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static DagSummary fetch(Node fetcher, Node seeder, DagRequest request) {
    return await(fetcher.bitswap().dag().fetchInto(seeder.id(), request, fetcher.store(), b -> {}));
  }

  @Test
  void fetchesAWholeFileInOneRequestWithEveryBlockChecked() throws Exception {
    Node seeder = peers.node(1);
    Node fetcher = peers.node(2);
    byte[] data = randomFile(5 * 1024 * 1024 + 77, 1);
    Cid root = importInto(data, seeder.store());
    connect(fetcher, seeder);

    DagSummary s =
        fetch(fetcher, seeder, fetcher.bitswap().dag().requestFor(List.of(root), List.of()));

    assertTrue(s.complete(), "missing " + s.missing());
    assertEquals(seeder.store().size(), s.blocks());
    assertEquals(seeder.store().size(), fetcher.store().size());
    assertArrayEquals(data, cat(fetcher.store(), root));
  }

  /** A chain of DAG-CBOR entries, each linking the one before: returns them oldest first. */
  private static List<Cid> chain(Node n, int length) {
    List<Cid> out = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      IpldMap.Builder m = IpldMap.builder().put("n", i);
      m.put(
          "next",
          IpldList.of(out.isEmpty() ? List.<IpldNode>of() : List.of(new IpldLink(out.get(i - 1)))));
      Block b = Block.create(Multicodec.DAG_CBOR, DagCbor.encode(m.build()));
      n.store().put(b);
      out.add(b.cid());
    }
    return out;
  }

  @Test
  void sendsOnlyTheDeltaAboveTheHeadsTheReceiverHolds() {
    Node seeder = peers.node(3);
    Node fetcher = peers.node(4);
    List<Cid> log = chain(seeder, 100);
    connect(fetcher, seeder);

    DagSummary s =
        fetch(
            fetcher,
            seeder,
            fetcher.bitswap().dag().requestFor(List.of(log.get(99)), List.of(log.get(49))));

    assertTrue(s.complete(), "missing " + s.missing());
    assertEquals(50, s.blocks());
    assertEquals(50, fetcher.store().size());
    assertTrue(fetcher.store().has(log.get(50)) && !fetcher.store().has(log.get(49)));
  }

  @Test
  void reportsTheBlocksTheSenderLacksAsMissing() {
    Node seeder = peers.node(5);
    Node fetcher = peers.node(6);
    List<Cid> log = chain(seeder, 10);
    seeder.store().delete(log.get(4));
    connect(fetcher, seeder);

    DagSummary s =
        fetch(fetcher, seeder, fetcher.bitswap().dag().requestFor(List.of(log.get(9)), List.of()));

    assertEquals(List.of(log.get(4)), s.missing());
    assertEquals(5, s.blocks());
  }

  @Test
  void aPausedReaderStopsTheSenderAtItsCredit() throws Exception {
    Node seeder = peers.node(7);
    Node fetcher = peers.node(8);
    byte[] data = randomFile(12 * 1024 * 1024, 2);
    Cid root = importInto(data, 256 * 1024, seeder.store());
    connect(fetcher, seeder);
    DagRequest request =
        new DagRequest(List.of(root), List.of(), DagRequest.UNLIMITED, 1000, DagOptions.MIN_CREDIT);
    AtomicLong got = new AtomicLong();

    DagResponse r = fetcher.bitswap().dag().request(seeder.id(), request);
    r.pause();
    r.handler(b -> got.addAndGet(b.size()));
    Thread.sleep(1500);

    long sent = await(seeder.bitswap().bytesServed());
    assertTrue(sent > 0, "nothing was sent within the credit");
    assertTrue(
        sent <= DagOptions.MIN_CREDIT,
        sent + " bytes sent past a credit of " + DagOptions.MIN_CREDIT);
    assertEquals(0, got.get());

    r.resume();
    DagSummary s = await(r.result());
    assertTrue(s.complete());
    assertTrue(got.get() >= data.length);
  }

  /**
   * A peer that answers every DAG request with {@code sections} after a valid status and header.
   */
  private BasicHost hostile(int seed, Cid root, List<byte[]> sections) {
    BasicHost h = peers.host(seed);
    h.setHandler(
        DagProtocol.ID,
        s -> {
          s.handler(b -> {});
          s.write(frame(DagCbor.encode(IpldMap.builder().put("ok", true).build())));
          s.write(frame(CarHeader.of(root).encode()));
          for (byte[] section : sections) {
            s.write(frame(section));
          }
          s.end();
          s.resume();
        });
    return h;
  }

  private static Buffer frame(byte[] body) {
    return Buffer.buffer(Varint.encode(body.length)).appendBytes(body);
  }

  private static byte[] section(Cid cid, byte[] data) {
    return Buffer.buffer(cid.bytes()).appendBytes(data).getBytes();
  }

  private Throwable fetchFromHostile(BasicHost liar, Cid root) {
    Node fetcher = peers.node(30 + fetchers++);
    await(fetcher.host().dial(liar.listenAddresses().get(0).encapsulate("/p2p/" + liar.peerId())));
    Throwable e =
        failure(
            fetcher
                .bitswap()
                .dag()
                .fetchInto(
                    liar.peerId(),
                    fetcher.bitswap().dag().requestFor(List.of(root), List.of()),
                    fetcher.store(),
                    b -> {}));
    assertEquals(0, fetcher.store().size(), "a block from a liar was stored");
    return e;
  }

  @Test
  void failsOnBytesThatDoNotHashToTheirCid() {
    Block real = Block.create(Multicodec.RAW, randomFile(1000, 3));
    byte[] wrong = real.bytes();
    wrong[0] ^= 1;
    BasicHost liar = hostile(9, real.cid(), List.of(section(real.cid(), wrong)));

    Throwable e = fetchFromHostile(liar, real.cid());

    assertInstanceOf(DagException.class, e);
    assertTrue(e.getMessage().contains("do not hash to " + real.cid()), e.getMessage());
  }

  @Test
  void failsOnABlockNoEarlierBlockLinksTo() {
    Block asked = Block.create(Multicodec.RAW, randomFile(1000, 4));
    Block pushed = Block.create(Multicodec.RAW, randomFile(1000, 5));
    BasicHost liar = hostile(10, asked.cid(), List.of(section(pushed.cid(), pushed.bytes())));

    Throwable e = fetchFromHostile(liar, asked.cid());

    assertInstanceOf(DagException.class, e);
    assertTrue(e.getMessage().contains("which no block before it links to"), e.getMessage());
  }

  @Test
  void refusesARequestOverTheStopLimitWithAReason() {
    Node seeder = peers.node(11);
    Node fetcher = peers.node(12);
    List<Cid> log = chain(seeder, 2);
    connect(fetcher, seeder);
    List<Cid> stop = new ArrayList<>();
    for (int i = 0; i < DagOptions.defaults().maxStop() + 1; i++) {
      stop.add(Block.create(Multicodec.RAW, new byte[] {(byte) i, (byte) (i >> 8)}).cid());
    }

    Throwable e =
        failure(
            fetcher
                .bitswap()
                .dag()
                .fetchInto(
                    seeder.id(),
                    new DagRequest(
                        List.of(log.get(1)),
                        stop,
                        DagRequest.UNLIMITED,
                        100,
                        DagOptions.MIN_CREDIT),
                    fetcher.store(),
                    b -> {}));

    assertInstanceOf(DagException.class, e);
    assertTrue(
        e.getMessage().contains("refused") && e.getMessage().contains("at most"), e.getMessage());
  }
}
