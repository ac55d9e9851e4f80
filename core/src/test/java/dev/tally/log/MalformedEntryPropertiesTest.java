package dev.tally.log;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.log.sync.SyncCodec;
import dev.tally.log.sync.SyncException;
import dev.tally.log.sync.SyncMessage;
import dev.tally.log.sync.SyncOptions;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Log entries and {@code /tally/log} messages come from any peer. A mutated entry either fails to
 * decode with {@link LogVerificationException} or, if it still decodes, fails its signature: no
 * change to a signed entry's bytes yields an entry the author's key accepts. Mutated sync messages
 * fail only with {@link SyncException}.
 */
class MalformedEntryPropertiesTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of());

  @Property(tries = 300, seed = "4031")
  void mutatedEntriesAreRefusedOrFailTheirSignature(@ForAll long seed) {
    Random r = new Random(seed);
    Cid parent =
        Entry.sign(manifest.cid(), 1, List.of(), List.of(), Forge.record("p"), alice).cid();
    List<Cid> links = r.nextBoolean() ? List.of(parent) : List.of();
    Entry valid =
        Entry.sign(
            manifest.cid(),
            1 + r.nextInt(1000),
            links,
            links,
            Forge.record("x".repeat(r.nextInt(40))),
            alice);
    byte[] mutated = variant(valid.block().bytes(), r);
    if (Arrays.equals(mutated, valid.block().bytes())) {
      return;
    }
    Block block = Block.create(DagCbor.CODE, mutated);
    Entry decoded =
        check(LogVerificationException.class, mutated, b -> Entry.decodeUntrusted(block)) == null
            ? Entry.decodeUntrusted(block)
            : null;
    if (decoded != null) {
      LogVerificationException forged =
          check(LogVerificationException.class, mutated, b -> decoded.verifySignature(manifest));
      if (forged == null) {
        fail("a mutated entry verified under the author's key: " + block.cid());
      }
    }
    // The original CID with the mutated bytes: a block that does not hash to what was asked for.
    Block lying = Block.ofOwned(valid.cid(), mutated);
    if (check(LogVerificationException.class, mutated, b -> Entry.decodeUntrusted(lying)) == null) {
      fail("bytes that do not hash to the CID decoded as an entry");
    }
  }

  @Property(tries = 300, seed = "4032")
  void mutatedSyncMessagesFailOnlyWithSyncException(@ForAll long seed) {
    Random r = new Random(seed);
    SyncCodec codec = new SyncCodec(SyncOptions.defaults());
    Cid log = manifest.cid();
    Cid head = Entry.sign(log, 1, List.of(), List.of(), Forge.record("h"), alice).cid();
    SyncMessage m =
        switch (r.nextInt(4)) {
          case 0 -> new SyncMessage.Heads(log, List.of(head));
          case 1 -> new SyncMessage.Want(log, List.of(head), List.of(head), r.nextInt(100));
          case 2 ->
              new SyncMessage.Entries(
                  List.of(randomBytes(r, r.nextInt(50)), randomBytes(r, 3)), r.nextInt(9));
          default -> new SyncMessage.Done(r.nextInt(9), r.nextBoolean() ? "" : "refused");
        };
    byte[] body = withoutPrefix(codec.encode(m));
    byte[] input = r.nextInt(6) == 0 ? randomBytes(r, r.nextInt(100)) : variant(body, r);
    check(SyncException.class, input, codec::decode);
    if (check(SyncException.class, body, codec::decode) != null) {
      fail("the valid message failed to decode");
    }
    assertArrayEquals(body, withoutPrefix(codec.encode(codec.decode(body))));
  }

  private static byte[] withoutPrefix(Buffer framed) {
    byte[] b = framed.getBytes();
    int n = Varint.decodedLength(b, 0, b.length);
    return Arrays.copyOfRange(b, n, b.length);
  }
}
