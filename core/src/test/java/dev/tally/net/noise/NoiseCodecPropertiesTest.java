package dev.tally.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class NoiseCodecPropertiesTest {
  private static CipherState[] pair() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new CipherState[] {new CipherState(key), new CipherState(key)};
  }

  @Property(tries = 200)
  void encryptedFramesSurviveAnySplitOfTheStream(
      @ForAll("messages") List<byte[]> messages, @ForAll @IntRange(min = 1, max = 70) int chunk) {
    CipherState[] c = pair();
    Buffer wire = Buffer.buffer();
    for (byte[] m : messages) {
      wire.appendBuffer(FrameDecoder.frame(c[0].encrypt(new byte[0], m)));
    }
    FrameDecoder d = new FrameDecoder();
    List<byte[]> got = new ArrayList<>();
    for (int off = 0; off < wire.length(); off += chunk) {
      d.append(wire.getBuffer(off, Math.min(wire.length(), off + chunk)));
      for (byte[] f = d.next(); f != null; f = d.next()) {
        got.add(c[1].decrypt(new byte[0], f));
      }
    }
    assertEquals(messages.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertArrayEquals(messages.get(i), got.get(i));
    }
    assertEquals(0, d.remaining().length());
  }

  @Property(tries = 300)
  void randomFramesFailAuthentication(@ForAll @Size(max = 300) byte[] frame) {
    CipherState c = pair()[1];
    assertThrows(NoiseException.class, () -> c.decrypt(new byte[0], frame));
  }

  @Property(tries = 300)
  void randomHandshakePayloadsFailOnlyWithNoiseException(@ForAll @Size(max = 300) byte[] payload) {
    assertThrows(NoiseException.class, () -> HandshakePayloads.verify(payload, new byte[32]));
  }

  @Property(tries = 100)
  void randomHandshakeMessagesFailOnlyWithNoiseException(@ForAll @Size(max = 300) byte[] msg) {
    SecureRandom rnd = new SecureRandom();
    XxHandshake i = XxHandshake.create(true, X25519KeyPair.generate(rnd), rnd);
    i.writeMessage(new byte[0]);
    assertThrows(NoiseException.class, () -> i.readMessage(msg));
  }

  @Provide
  Arbitrary<List<byte[]>> messages() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).list().ofMaxSize(8);
  }
}
