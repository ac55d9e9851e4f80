package dev.tally.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cacophony test vector for Noise_XX_25519_ChaChaPoly_SHA256 (see cacophony-LICENSE.txt). */
class XxHandshakeVectorTest {
  static final HexFormat HEX = HexFormat.of();
  JsonObject v;

  @BeforeEach
  void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("cacophony-xx.json")) {
      v = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private byte[] hex(String field) {
    return HEX.parseHex(v.getString(field));
  }

  private byte[] msg(int i, String field) {
    return HEX.parseHex(v.getJsonArray("messages").getJsonObject(i).getString(field));
  }

  @Test
  void reproducesEveryHandshakeAndTransportMessage() {
    assertEquals(XxHandshake.PROTOCOL_NAME, v.getString("protocol_name"));
    X25519KeyPair ie = X25519KeyPair.of(hex("init_ephemeral"));
    X25519KeyPair re = X25519KeyPair.of(hex("resp_ephemeral"));
    XxHandshake init =
        new XxHandshake(true, hex("init_prologue"), X25519KeyPair.of(hex("init_static")), () -> ie);
    XxHandshake resp =
        new XxHandshake(
            false, hex("resp_prologue"), X25519KeyPair.of(hex("resp_static")), () -> re);

    for (int i = 0; i < 3; i++) {
      XxHandshake writer = i % 2 == 0 ? init : resp;
      XxHandshake reader = i % 2 == 0 ? resp : init;
      byte[] ct = writer.writeMessage(msg(i, "payload"));
      assertArrayEquals(msg(i, "ciphertext"), ct, "handshake message " + i);
      assertArrayEquals(msg(i, "payload"), reader.readMessage(ct));
    }
    // Every handshake ciphertext above is authenticated with h as associated data and every
    // transport ciphertext below is keyed from ck, so matching all six messages checks both. The
    // vector's handshake_hash field is not compared: like snow's vector harness, we check messages.
    assertArrayEquals(init.handshakeHash(), resp.handshakeHash());
    assertArrayEquals(X25519KeyPair.of(hex("resp_static")).publicKey(), init.remoteStatic());
    assertArrayEquals(X25519KeyPair.of(hex("init_static")).publicKey(), resp.remoteStatic());

    CipherState[] ic = init.split();
    CipherState[] rc = resp.split();
    JsonArray messages = v.getJsonArray("messages");
    for (int i = 3; i < messages.size(); i++) {
      // Transport messages keep alternating: responder first (message 3), then initiator.
      CipherState send = i % 2 == 0 ? ic[0] : rc[0];
      CipherState recv = i % 2 == 0 ? rc[1] : ic[1];
      byte[] ct = send.encrypt(new byte[0], msg(i, "payload"));
      assertArrayEquals(msg(i, "ciphertext"), ct, "transport message " + i);
      assertArrayEquals(msg(i, "payload"), recv.decrypt(new byte[0], ct));
    }
  }

  @Test
  void tamperedHandshakeMessageFailsAuthentication() {
    X25519KeyPair ie = X25519KeyPair.of(hex("init_ephemeral"));
    X25519KeyPair re = X25519KeyPair.of(hex("resp_ephemeral"));
    XxHandshake init =
        new XxHandshake(true, hex("init_prologue"), X25519KeyPair.of(hex("init_static")), () -> ie);
    XxHandshake resp =
        new XxHandshake(
            false, hex("resp_prologue"), X25519KeyPair.of(hex("resp_static")), () -> re);
    resp.readMessage(init.writeMessage(msg(0, "payload")));
    byte[] m2 = resp.writeMessage(msg(1, "payload"));
    m2[40] ^= 1;
    assertThrows(NoiseException.class, () -> init.readMessage(m2));
  }

  @Test
  void shortHandshakeMessageIsRejected() {
    XxHandshake resp =
        new XxHandshake(false, new byte[0], X25519KeyPair.of(hex("resp_static")), () -> null);
    assertThrows(NoiseException.class, () -> resp.readMessage(new byte[31]));
  }
}
