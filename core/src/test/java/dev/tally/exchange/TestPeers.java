package dev.tally.exchange;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.client.ClientOptions;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsExporter;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Tally hosts with an exchange each, on 127.0.0.1, for the exchange tests; closes them all. */
final class TestPeers implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  private final List<Node> nodes = new ArrayList<>();
  private final List<BasicHost> hosts = new ArrayList<>();

  record Node(BasicHost host, Blockstore store, Bitswap bitswap) {
    PeerId id() {
      return host.peerId();
    }
  }

  @Override
  public void close() throws Exception {
    for (Node n : nodes) {
      n.bitswap.close().await(10, TimeUnit.SECONDS);
    }
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  BasicHost host(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = 0x42;
    BasicHost h = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(s), HostOptions.defaults());
    hosts.add(h);
    await(h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    return h;
  }

  Node node(int seed, Blockstore store, ExchangeOptions options) {
    BasicHost h = host(seed);
    Node n = new Node(h, store, await(Bitswap.start(vertx, h, store, options)));
    nodes.add(n);
    return n;
  }

  Node node(int seed) {
    return node(seed, new MemoryBlockstore(), fastOptions());
  }

  static ExchangeOptions fastOptions() {
    return ExchangeOptions.defaults()
        .withClient(
            ClientOptions.defaults().withTimers(Duration.ofMillis(1500), Duration.ofSeconds(20)));
  }

  static void connect(Node from, Node to) {
    await(from.host.dial(to.host.listenAddresses().get(0).encapsulate("/p2p/" + to.host.peerId())));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failure(Future<?> f) {
    try {
      f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + f.result());
  }

  static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static byte[] randomFile(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** Imports {@code data} with {@code chunk}-byte chunks, CIDv1 and raw leaves into each store. */
  static Cid importInto(byte[] data, int chunk, Blockstore... stores) throws IOException {
    Cid root = null;
    for (Blockstore s : stores) {
      ImportOptions o = ImportOptions.builder().cidVersion(1).chunker("size-" + chunk).build();
      root = new UnixfsImporter(s, o).importStream(new ByteArrayInputStream(data), "f").cid();
    }
    return root;
  }

  /** Imports {@code data} with 16 KiB chunks, CIDv1 and raw leaves into each store. */
  static Cid importInto(byte[] data, Blockstore... stores) throws IOException {
    return importInto(data, 16384, stores);
  }

  static byte[] cat(Blockstore store, Cid root) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new UnixfsExporter(store).cat(root, out);
    return out.toByteArray();
  }
}
