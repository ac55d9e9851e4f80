package dev.tally.log.sync;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Tally nodes on 127.0.0.1 for replication tests: each a libp2p host, a blockstore, a replica and
 * its {@link LogSync}; heads are "saved" to a map as the daemon saves them to a file, so a node can
 * be closed abruptly and restarted from what it had saved.
 */
final class SyncPeers implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final List<Peer> peers = new ArrayList<>();
  final List<BasicHost> rawHosts = new ArrayList<>();
  final LogManifest manifest;
  final SyncOptions options;

  final class Peer {
    final int seed;
    final Ed25519PrivateKey key;
    final Blockstore store;
    final ConcurrentHashMap<Cid, List<Cid>> saved;
    BasicHost host;
    Log log;
    LogSync sync;

    Peer(int seed, Blockstore store, ConcurrentHashMap<Cid, List<Cid>> saved) {
      this.seed = seed;
      this.key = key(seed);
      this.store = store;
      this.saved = saved;
    }

    void start() {
      host = BasicHost.create(vertx, key, HostOptions.defaults());
      await(host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      List<Cid> heads = saved.getOrDefault(manifest.cid(), List.of());
      log = Log.open(manifest, store, heads);
      sync = new LogSync(vertx, host, options).start();
      sync.track(log, l -> saved.put(l.id(), l.heads()));
    }

    /** Closes the host at once, as a crash would; the store and saved heads survive. */
    void crash() {
      sync.close();
      await(host.close());
    }

    PeerId id() {
      return host.peerId();
    }

    Multiaddr address() {
      return host.listenAddresses().get(0).encapsulate("/p2p/" + host.peerId());
    }

    void connect(Peer other) {
      await(host.dial(other.address()));
    }

    void append(int n, String tag) {
      List<IpldNode> records = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        records.add(IpldNode.map().put("kind", "Note").put("text", tag + "-" + i).build());
      }
      log.appendAll(records, key);
      saved.put(log.id(), log.heads());
    }
  }

  SyncPeers(int writers, SyncOptions options) {
    List<dev.tally.crypto.Ed25519PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      keys.add(key(i).publicKey());
    }
    this.manifest = LogManifest.create("loans", 1, keys, 0, List.of(key(0).publicKey()));
    this.options = options;
  }

  static SyncOptions fast() {
    return SyncOptions.defaults().withAntiEntropy(Duration.ofMillis(500));
  }

  static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = 0x33;
    return Ed25519PrivateKey.fromSeed(s);
  }

  Peer peer(int seed) {
    Peer p = new Peer(seed, new MemoryBlockstore(), new ConcurrentHashMap<>());
    p.start();
    peers.add(p);
    return p;
  }

  BasicHost rawHost(int seed) {
    BasicHost h = BasicHost.create(vertx, key(seed), HostOptions.defaults());
    await(h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    rawHosts.add(h);
    return h;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void eventually(Duration timeout, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      try {
        p.sync.close();
        p.host.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // already closed by a crash
      }
    }
    for (BasicHost h : rawHosts) {
      try {
        h.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
