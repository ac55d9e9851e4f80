package dev.tally.cli;

import static dev.tally.cli.ConfiguredDaemon.await;
import static dev.tally.cli.ConfiguredDaemon.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tally.crypto.PeerId;
import dev.tally.daemon.Daemon;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.pb.BitswapProto;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.ping.PingProtocol;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The libp2p and Bitswap limits set with {@code tally config} (Swarm.*, Internal.Bitswap.*) are the
 * ones a daemon enforces on a real peer: a peer dialling it over TCP, Noise and Yamux meets the
 * configured bound, not the built-in one.
 */
class NetworkLimitsConfigTest {
  @RegisterExtension final ConfiguredDaemon node = new ConfiguredDaemon();
  private final Cli cli = node.cli;

  @Test
  void aDaemonResetsStreamsBeyondTheConfiguredYamuxMaxStreams() throws Exception {
    node.config("Swarm.Yamux.MaxStreams", "4", "Swarm.ResourceMgr.Limits.PeerDefault.Conns", "2");
    ok(cli.run("config", "Swarm.ConnMgr.HighWater", "--json", "50"));
    node.refused("Swarm.Yamux.MaxStreams", "0", "'Swarm.Yamux.MaxStreams' must be between 1");
    assertTrue(ok(cli.run("config", "show")).contains("\"MaxStreams\" : 4"));

    Daemon daemon = node.start();
    // The keys not exercised below reach the host too.
    HostOptions host = daemon.network().host().options();
    assertEquals(2, host.resources().maxConnectionsPerPeer());
    assertEquals(50, host.connectionManager().highWater());
    assertEquals(256, host.resources().maxConnections());
    BasicHost peer = node.connectedPeer(7);
    PeerId id = daemon.repo().peerId();
    // Ping streams stay open until the pinger closes them, so each holds one of the daemon's slots.
    List<Stream> open = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      try {
        open.add(peer.newStream(id, PingProtocol.ID).await(20, TimeUnit.SECONDS));
      } catch (Exception e) {
        refused++;
      }
    }
    // Identify may hold a slot for a moment after the dial, so fewer than 4 may get through.
    assertTrue(open.size() <= 4, "streams opened: " + open.size());
    assertEquals(10 - open.size(), refused);
    // Slots freed are slots to use again: the bound is on open streams, not on the connection.
    for (Stream s : open) {
      await(s.close());
    }
    assertTrue(opensWithin(peer, id, 10_000), "no stream opened after the others were closed");
  }

  private static boolean opensWithin(BasicHost peer, PeerId id, long millis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      try {
        peer.newStream(id, PingProtocol.ID).await(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        Thread.sleep(100);
      }
    }
    return false;
  }

  @Test
  void aDaemonKeepsNoMoreWantsPerPeerThanTheConfiguredWantlistBound() throws Exception {
    node.config(
        "Internal.Bitswap.MaxQueuedWantlistEntriesPerPeer", "5",
        "Internal.Bitswap.EngineBlockstoreWorkerCount", "3",
        "Internal.Bitswap.MaxOutstandingBytesPerPeer", "262144",
        "Internal.Bitswap.MaxCidLength", "100",
        "Internal.Bitswap.MaxUploadBytesPerSecond", "8388608");
    node.refused(
        "Internal.Bitswap.TaskWorkerCount", "8", "unknown key 'Internal.Bitswap.TaskWorkerCount'");

    Daemon daemon = node.start();
    // The keys not exercised below reach the exchange too.
    ExchangeOptions exchange = daemon.network().exchange().options();
    assertEquals(3, exchange.server().workers());
    assertEquals(262_144, exchange.maxOutstandingBytesPerPeer());
    assertEquals(100, exchange.messages().maxCidLength());
    assertEquals(8_388_608, exchange.maxUploadBytesPerSecond());
    assertEquals(4, exchange.server().maxReadsPerPeer());
    BasicHost peer = node.connectedPeer(7);
    Stream s = await(peer.newStream(daemon.repo().peerId(), ProtocolVersion.V1_2_0.id()));
    // Twenty wants for blocks the daemon lacks, with no DONT_HAVE asked: the daemon keeps each
    // in the peer's ledger until the peer cancels it or leaves, up to the configured bound.
    BitswapProto.Message.Wantlist.Builder wants = BitswapProto.Message.Wantlist.newBuilder();
    for (int i = 0; i < 20; i++) {
      byte[] digest = new byte[32];
      digest[0] = (byte) i;
      Cid absent = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest));
      wants.addEntries(
          BitswapProto.Message.Wantlist.Entry.newBuilder()
              .setBlock(ByteString.copyFrom(absent.bytes()))
              .setPriority(1));
    }
    byte[] body = BitswapProto.Message.newBuilder().setWantlist(wants).build().toByteArray();
    await(s.write(Buffer.buffer(MessageCodec.frame(body))));

    // The whole message is taken in one turn of the exchange, so once any want shows, all do.
    String peerId = peer.peerId().toString();
    List<String> kept = List.of();
    long deadline = System.currentTimeMillis() + 20_000;
    while (kept.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      kept = ok(cli.run("bitswap", "wantlist", "--peer", peerId)).lines().toList();
    }
    assertEquals(5, kept.size(), "wants the daemon keeps for the peer: " + kept);
  }
}
