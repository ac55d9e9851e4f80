package dev.tally.it.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.DagFetch;
import dev.tally.exchange.ExchangeException;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldInt;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.IpldString;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.Multicodec;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsExporter;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tally and Helia 7 exchange 64 MiB UnixFS files and 10,000-block DAGs over Bitswap 1.2.0, both
 * ways.
 */
class HeliaBitswapInteropTest {
  private final Vertx vertx = Vertx.vertx();
  private final MemoryBlockstore store = new MemoryBlockstore();
  private BasicHost host;
  private Bitswap bitswap;
  private HeliaPeer helia;

  @BeforeEach
  void start() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 71;
    host = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
    await(host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    bitswap = await(Bitswap.start(vertx, host, store, ExchangeOptions.defaults()));
    byte[] heliaSeed = new byte[32];
    heliaSeed[0] = 72;
    helia = HeliaPeer.start(heliaSeed);
  }

  @AfterEach
  void stop() throws Exception {
    helia.close();
    await(bitswap.close());
    await(host.close());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] randomFile(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void tallyFetchesAFileHeliaAdded(@TempDir Path dir) throws Exception {
    byte[] data = randomFile(64 * 1024 * 1024 + 17, 1);
    Path file = dir.resolve("helia-input");
    Files.write(file, data);
    Cid root =
        Cid.parse(
            helia
                .command(new JsonObject().put("cmd", "add").put("path", file.toString()), minute())
                .getString("cid"));

    await(host.dial(helia.address));
    DagFetch.Progress done = await(bitswap.fetchDag(root).done());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new UnixfsExporter(store).cat(root, out);
    assertArrayEquals(data, out.toByteArray());
    assertEquals(store.size(), done.fetched());
  }

  @Test
  void heliaFetchesAFileTallyAdded() throws Exception {
    byte[] data = randomFile(64 * 1024 * 1024 + 5, 2);
    ImportOptions o = ImportOptions.builder().cidVersion(1).build();
    Cid root = new UnixfsImporter(store, o).importStream(new ByteArrayInputStream(data), "f").cid();

    helia.command(
        new JsonObject()
            .put("cmd", "dial")
            .put(
                "addr",
                host.listenAddresses().get(0).encapsulate("/p2p/" + host.peerId()).toString()),
        minute());
    JsonObject got =
        helia.command(new JsonObject().put("cmd", "cat").put("cid", root.toString()), minute());

    assertEquals(data.length, got.getLong("bytes"));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
        got.getString("sha256"));
  }

  @Test
  void heliaAnswersDontHaveForABlockItLacks() {
    await(host.dial(helia.address));
    Cid missing = Block.create(Multicodec.RAW, new byte[] {7, 7, 7}).cid();
    long start = System.nanoTime();

    Throwable e = assertThrows(AssertionError.class, () -> await(bitswap.get(missing))).getCause();

    assertInstanceOf(ExchangeException.class, e);
    assertTrue(e.getMessage().contains("DONT_HAVE"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "no DONT_HAVE came");
  }

  @Test
  void tallyFetchesADagCborDagOfTenThousandLeavesFromHelia() throws Exception {
    JsonObject added =
        helia.command(new JsonObject().put("cmd", "addCborDag").put("leaves", 10_000), minute());
    Cid root = Cid.parse(added.getString("cid"));

    await(host.dial(helia.address));
    DagFetch.Progress done = await(bitswap.fetchDag(root).done());

    assertEquals(added.getLong("blocks"), done.blocks());
    assertEquals(added.getLong("blocks"), store.size());
  }

  @Test
  void heliaFetchesADagCborDagOfTenThousandLeavesFromTally() throws Exception {
    List<Cid> level = new ArrayList<>();
    long blocks = 0;
    for (int i = 0; i < 10_000; i++) {
      level.add(putCbor(IpldMap.of(Map.of("leaf", IpldInt.of(i), "from", IpldString.of("tally")))));
    }
    blocks += level.size();
    while (level.size() > 1) {
      List<Cid> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 100) {
        List<IpldNode> links = new ArrayList<>();
        for (Cid c : level.subList(i, Math.min(level.size(), i + 100))) {
          links.add(new IpldLink(c));
        }
        next.add(putCbor(IpldMap.of(Map.of("links", IpldList.of(links)))));
      }
      blocks += next.size();
      level = next;
    }

    helia.command(new JsonObject().put("cmd", "dial").put("addr", tallyAddress()), minute());
    JsonObject got =
        helia.command(
            new JsonObject().put("cmd", "fetchCborDag").put("cid", level.get(0).toString()),
            Duration.ofSeconds(150));

    assertEquals(blocks, got.getLong("blocks"));
  }

  private Cid putCbor(IpldNode node) {
    Block b = Block.create(Multicodec.DAG_CBOR, DagCbor.encode(node));
    store.put(b);
    return b.cid();
  }

  private String tallyAddress() {
    return host.listenAddresses().get(0).encapsulate("/p2p/" + host.peerId()).toString();
  }

  private static Duration minute() {
    return Duration.ofSeconds(60);
  }
}
