package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.randomFile;
import static dev.tally.exchange.TestPeers.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.pb.BitswapProto;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that send what the limits refuse: each bad stream is reset or trimmed, the server's state
 * for a peer stays within its bounds and is dropped when the peer goes, and honest peers keep being
 * served throughout.
 */
class HostilePeerTest {
  private final TestPeers peers = new TestPeers();
  private final Map<Stream, PeerId> rawPeers = new HashMap<>();
  private int rawSeed = 80;

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private Stream rawStream(Node to) {
    BasicHost raw = peers.host(rawSeed++);
    await(raw.dial(to.host().listenAddresses().get(0).encapsulate("/p2p/" + to.id())));
    Stream s = await(raw.newStream(to.id(), ProtocolVersion.V1_2_0.id()));
    rawPeers.put(s, raw.peerId());
    return s;
  }

  private static Buffer frame(BitswapProto.Message m) {
    return Buffer.buffer(MessageCodec.frame(m.toByteArray()));
  }

  private static BitswapProto.Message wants(BitswapProto.Message.Wantlist.Entry... entries) {
    return BitswapProto.Message.newBuilder()
        .setWantlist(BitswapProto.Message.Wantlist.newBuilder().addAllEntries(List.of(entries)))
        .build();
  }

  /** Sends {@code bad} on a fresh peer's stream, then checks the stream was reset. */
  private void refusedThenHonestServed(BitswapProto.Message bad) {
    Node seeder = peers.node(1);
    Node honest = peers.node(2);
    Block block = Block.create(Multicodec.RAW, randomFile(3000, 1));
    seeder.store().put(block);

    Stream s = rawStream(seeder);
    s.write(frame(bad));
    await(s.closeFuture());

    connect(honest, seeder);
    assertEquals(block, await(honest.bitswap().get(block.cid())));
  }

  @Test
  void resetsAStreamWhoseWantNamesATenKilobyteCid() {
    byte[] cid = new byte[10_000];
    cid[0] = 1;
    cid[1] = 0x55;
    refusedThenHonestServed(
        wants(
            BitswapProto.Message.Wantlist.Entry.newBuilder()
                .setBlock(ByteString.copyFrom(cid))
                .build()));
  }

  @Test
  void resetsAStreamWithAnUnknownWantType() {
    Cid c = Block.create(Multicodec.RAW, new byte[] {1}).cid();
    refusedThenHonestServed(
        wants(
            BitswapProto.Message.Wantlist.Entry.newBuilder()
                .setBlock(ByteString.copyFrom(c.bytes()))
                .setWantTypeValue(7)
                .build()));
  }

  @Test
  void trimsPeersThatWantTenThousandBlocksAndForgetsThemWhenTheyLeave() {
    Node seeder = peers.node(3);
    Node honest = peers.node(4);
    Block block = Block.create(Multicodec.RAW, randomFile(3000, 2));
    seeder.store().put(block);
    List<Stream> streams = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      Stream s = rawStream(seeder);
      List<BitswapProto.Message.Wantlist.Entry> entries = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        byte[] digest = new byte[32];
        digest[0] = (byte) p;
        digest[1] = (byte) i;
        digest[2] = (byte) (i >> 8);
        Cid c = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest));
        // No DONT_HAVE asked: the wants stay in the seeder's ledger until the peer leaves.
        entries.add(
            BitswapProto.Message.Wantlist.Entry.newBuilder()
                .setBlock(ByteString.copyFrom(c.bytes()))
                .build());
      }
      s.write(frame(wants(entries.toArray(new BitswapProto.Message.Wantlist.Entry[0]))));
      streams.add(s);
    }
    for (Stream s : streams) {
      PeerId raw = rawOf(s);
      waitFor(() -> await(seeder.bitswap().wantlistOf(raw)).size() == 1024);
    }

    connect(honest, seeder);
    assertEquals(block, await(honest.bitswap().get(block.cid())));
    for (Stream s : streams) {
      assertEquals(1024, await(seeder.bitswap().wantlistOf(rawOf(s))).size());
    }

    for (Stream s : streams) {
      await(s.connection().close());
    }
    for (Stream s : streams) {
      waitFor(() -> await(seeder.bitswap().wantlistOf(rawOf(s))).isEmpty());
    }
    assertEquals(block, await(honest.bitswap().get(block.cid())));
  }

  private PeerId rawOf(Stream s) {
    return rawPeers.get(s);
  }
}
