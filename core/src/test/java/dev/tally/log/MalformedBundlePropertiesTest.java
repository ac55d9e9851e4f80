package dev.tally.log;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A checkpoint bundle comes from a peer (a new replica joining from a checkpoint) or a client:
 * truncated and mutated bundles fail only with {@link LogException}.
 */
class MalformedBundlePropertiesTest {
  private static final Ed25519PrivateKey ALICE = Forge.key(1);
  private static final Ed25519PrivateKey BOB = Forge.key(2);
  private static final LogManifest THREE =
      LogManifest.create(
          "loans",
          1,
          List.of(ALICE.publicKey(), BOB.publicKey(), Forge.key(3).publicKey()),
          0,
          List.of(ALICE.publicKey()));
  private static final byte[] BUNDLE = bundle();

  private static byte[] bundle() {
    Log log = Log.create(THREE, new MemoryBlockstore());
    for (int i = 0; i < 40; i++) {
      log.append(Forge.record("e" + i), i % 2 == 0 ? ALICE : BOB);
    }
    Cid checkpoint = log.checkpoints().propose(ALICE).cid();
    log.checkpoints().endorse(checkpoint, BOB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      CheckpointBundle.write(log, checkpoint, out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  @Property(tries = 100, seed = "4121")
  void mutatedBundlesFailOnlyWithLogException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] input = variant(BUNDLE, r);
    check(
        LogException.class,
        input,
        b -> CheckpointBundle.read(new ByteArrayInputStream(b), THREE.cid(), 1_000_000));
  }
}
