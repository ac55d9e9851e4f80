package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.network.BitswapNetwork;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.net.host.BasicHost;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What our Bitswap network sends fits what other implementations read: boxo and {@code
 * helia/bitswap} read messages of at most 4 MiB, so a message our own {@code MaxMessageSize} (up to
 * 64 MiB) would allow leaves split into messages under 4 MiB, each a valid Bitswap message.
 */
class SplitMessagesTest {
  private final TestPeers peers = new TestPeers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @Test
  void aResponseLargerThanPeersReadIsSentAsMessagesOfAtMostFourMebibytes() {
    BasicHost sender = peers.host(61);
    BasicHost receiver = peers.host(62);
    // The receiver reads as boxo does: at most 4 MiB per message, or the stream fails.
    int peerLimit = 4 * 1024 * 1024;
    MessageCodec reader = new MessageCodec(new MessageLimits(peerLimit, 2 * 1024 * 1024, 256));
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    List<Block> received = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    receiver.setHandler(
        ProtocolVersion.V1_2_0.id(),
        in -> {
          FrameDecoder frames = new FrameDecoder(peerLimit);
          in.handler(
              b -> {
                if (!failures.isEmpty()) {
                  return; // the stream is lost after a message the peer cannot read
                }
                try {
                  frames.feed(b);
                  for (var f = frames.next(); f.isPresent(); f = frames.next()) {
                    sizes.add(f.get().length);
                    reader.decode(f.get()).blocks().forEach(p -> received.add(p.toBlock()));
                  }
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              });
          in.resume();
        });
    await(sender.dial(receiver.listenAddresses().get(0).encapsulate("/p2p/" + receiver.peerId())));

    // Our limits at their widest: messages of 16 MiB are ours to read, not the peer's.
    Context ctx = peers.vertx.getOrCreateContext();
    BitswapNetwork network =
        new BitswapNetwork(
            ctx,
            sender,
            new MessageCodec(new MessageLimits(16 << 20, 2 * 1024 * 1024, 256)),
            64 << 20,
            10_000);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      blocks.add(Block.create(Multicodec.RAW, TestPeers.randomFile(2 * 1024 * 1024 - i, i)));
    }
    await(
        io.vertx.core.Future.<Void>future(
            p ->
                ctx.runOnContext(
                    v ->
                        network
                            .send(receiver.peerId(), BitswapMessage.response(blocks, List.of()))
                            .onComplete(p))));

    TestPeers.waitFor(() -> received.size() == blocks.size() || !failures.isEmpty());
    assertEquals(List.of(), failures);
    assertEquals(blocks, received);
    assertTrue(sizes.size() >= 3, "messages: " + sizes);
    assertTrue(sizes.stream().allMatch(s -> s <= peerLimit), "messages: " + sizes);
  }
}
