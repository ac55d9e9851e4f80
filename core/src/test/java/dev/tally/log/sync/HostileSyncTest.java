package dev.tally.log.sync;

import static dev.tally.log.sync.SyncPeers.await;
import static dev.tally.log.sync.SyncPeers.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer speaks /tally/log/1.0.0 correctly but serves forged entries: each is refused and
 * counted, none is stored, and an honest peer's entries still arrive.
 */
class HostileSyncTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static IpldMap unsigned(
      Cid log, long time, List<Cid> next, IpldNode record, byte[] author) {
    return IpldNode.map()
        .put("v", 1)
        .put("log", log)
        .put("clock", IpldNode.map().put("peer", author).put("time", time).build())
        .put("next", IpldNode.list(next.stream().map(c -> (IpldNode) IpldNode.of(c)).toList()))
        .put("refs", IpldNode.list(List.of()))
        .put("record", record)
        .put("author", author)
        .build();
  }

  private static Block sealed(IpldMap unsigned, byte[] sig) {
    IpldMap.Builder b = IpldNode.map();
    unsigned.entries().forEach(e -> b.put(e.getKey(), e.getValue()));
    return Block.create(DagCbor.CODE, DagCbor.encode(b.put("sig", sig).build()));
  }

  private static Block signed(IpldMap unsigned, Ed25519PrivateKey k) {
    return sealed(unsigned, k.sign(DagCbor.encode(unsigned)));
  }

  private static IpldNode note(String text) {
    return IpldNode.map().put("kind", "Note").put("text", text).build();
  }

  /** Serves every want with {@code blocks}, as one batch, whatever was asked. */
  private static void serveForged(BasicHost hostile, List<Block> blocks, SyncCodec codec) {
    hostile.setHandler(
        LogSync.PROTOCOL,
        (Stream s) -> {
          s.handler(
              data -> {
                List<byte[]> bytes = new ArrayList<>();
                blocks.forEach(b -> bytes.add(b.bytes()));
                s.write(codec.encode(new SyncMessage.Entries(bytes, 0)));
                s.write(codec.encode(new SyncMessage.Done(bytes.size(), "")));
                s.end();
              });
          s.resume();
        });
  }

  @Test
  void forgedNonWriterHugeAndDanglingEntriesAreRefusedAndCounted() {
    try (SyncPeers net = new SyncPeers(2, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(10, "a");
      Cid log = a.log.id();
      Ed25519PrivateKey writer = SyncPeers.key(1);
      Ed25519PrivateKey mallory = SyncPeers.key(66);
      byte[] w = writer.publicKey().raw();
      Block forgedSig =
          sealed(unsigned(log, 1, List.of(), note("f"), w), mallory.sign(new byte[] {1}));
      Block nonWriter =
          signed(unsigned(log, 1, List.of(), note("m"), mallory.publicKey().raw()), mallory);
      Block huge = signed(unsigned(log, 1, List.of(), IpldNode.of(new byte[100_000]), w), writer);
      Cid nowhere = Block.create(DagCbor.CODE, DagCbor.encode(note("nowhere"))).cid();
      Block dangling = signed(unsigned(log, 2, List.of(nowhere), note("d"), w), writer);
      List<Block> forged = List.of(forgedSig, nonWriter, huge, dangling);

      SyncCodec codec = new SyncCodec(net.options);
      BasicHost hostile = net.rawHost(77);
      serveForged(hostile, forged, codec);
      List<String> warnings = new CopyOnWriteArrayList<>();
      Logger syncLog = Logger.getLogger(LogSync.class.getName());
      Handler capture =
          new Handler() {
            @Override
            public void publish(LogRecord r) {
              if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(new SimpleFormatter().formatMessage(r));
              }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      syncLog.addHandler(capture);
      await(hostile.dial(a.address()));
      Stream s = await(hostile.newStream(a.id(), LogSync.PROTOCOL));
      await(
          s.write(
              codec.encode(new SyncMessage.Heads(log, forged.stream().map(Block::cid).toList()))));
      s.end();

      eventually(
          WAIT,
          () -> a.sync.progress(log).orElseThrow().rejected() == 4,
          "a refused the four forged entries");
      syncLog.removeHandler(capture);
      assertEquals(Map.of(hostile.peerId(), 4L), a.sync.rejectedBy(log));
      List<String> refusals =
          warnings.stream().filter(m -> m.contains("refused an entry from peer")).toList();
      assertEquals(4, refusals.size(), "one warning per refused entry: " + warnings);
      for (String line : refusals) {
        assertTrue(line.contains(hostile.peerId().toString()), "names the sender: " + line);
      }
      for (Block b : forged) {
        assertFalse(a.store.has(b.cid()), "stored a forged entry " + b.cid());
        assertFalse(a.log.contains(b.cid()));
      }
      assertEquals(10, a.log.size());
      assertTrue(a.log.verify().ok());

      // An honest writer's entries still arrive.
      SyncPeers.Peer b = net.peer(1);
      b.connect(a);
      b.append(20, "b");
      eventually(
          WAIT, () -> a.log.size() == 30 && a.log.heads().equals(b.log.heads()), "a synced b");
    }
  }

  @Test
  void aMalformedOrOversizedMessageDropsTheStreamOnly() {
    try (SyncPeers net = new SyncPeers(2, SyncPeers.fast())) {
      SyncPeers.Peer a = net.peer(0);
      a.append(5, "a");
      BasicHost hostile = net.rawHost(78);
      await(hostile.dial(a.address()));
      Stream junk = await(hostile.newStream(a.id(), LogSync.PROTOCOL));
      junk.write(Buffer.buffer(new byte[] {3, (byte) 0xff, 0, 0}));
      await(junk.closeFuture());
      Stream huge = await(hostile.newStream(a.id(), LogSync.PROTOCOL));
      // A length prefix announcing 1 GiB: refused before any of it is buffered.
      huge.write(
          Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}));
      await(huge.closeFuture());

      SyncPeers.Peer b = net.peer(1);
      b.connect(a);
      eventually(WAIT, () -> b.log.heads().equals(a.log.heads()), "b still syncs from a");
      assertEquals(Optional.of(5L), Optional.of(b.log.size()));
    }
  }
}
