package dev.tally.net.identify;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A peer's identify answer, mutated from a valid one (so the mutations reach the key, the address
 * and the string fields, not just the length prefix), fails only with {@link IdentifyException} and
 * allocates in proportion to the answer.
 */
class MalformedIdentifyPropertiesTest {
  private final IdentifyCodec codec = new IdentifyCodec(IdentifyCodec.DEFAULT_MAX_MESSAGE_SIZE);

  @Property(tries = 250, seed = "4091")
  void mutatedIdentifyAnswersFailOnlyWithIdentifyException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] s = new byte[32];
    r.nextBytes(s);
    IdentifyInfo info =
        new IdentifyInfo(
            Optional.of(Ed25519PrivateKey.fromSeed(s).publicKey()),
            List.of(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
                Multiaddr.parse("/dns4/example.com/tcp/443/wss")),
            List.of(IdentifyProtocol.ID, "/ipfs/bitswap/1.2.0"),
            Optional.of(Multiaddr.parse("/ip6/::1/tcp/50000")),
            Optional.of(IdentifyInfo.IPFS_PROTOCOL_VERSION),
            Optional.of("tally/0.1.0"));
    byte[] input = codec.encode(info);
    for (int i = r.nextInt(3); i >= 0; i--) {
      input = variant(input, r);
    }
    check(IdentifyException.class, input, codec::decode);
  }
}
