package dev.tally.net.noise;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.crypto.Ed25519PrivateKey;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A Noise handshake payload mutated from a valid one (identity key, signature over the static key,
 * muxer extensions) fails only with {@link NoiseException}, and no mutation of the key or the
 * signature still authenticates the static key.
 */
class MalformedHandshakePayloadPropertiesTest {

  @Property(tries = 300, seed = "4092")
  void mutatedPayloadsFailOnlyWithNoiseExceptionAndNeverAuthenticate(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] s = new byte[32];
    r.nextBytes(s);
    byte[] staticKey = new byte[32];
    r.nextBytes(staticKey);
    byte[] valid =
        HandshakePayloads.create(
            Ed25519PrivateKey.fromSeed(s), staticKey, List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    HandshakePayloads.verify(valid, staticKey);
    byte[] mutated = variant(valid, r);
    if (check(NoiseException.class, mutated, b -> HandshakePayloads.verify(b, staticKey)) == null) {
      // Still authentic: only a change outside the key and signature (the extensions) may pass.
      var before = HandshakePayloads.verify(valid, staticKey);
      var after = HandshakePayloads.verify(mutated, staticKey);
      if (!before.peer().equals(after.peer())) {
        fail("a mutated payload authenticated another peer: " + after.peer());
      }
    }
  }
}
