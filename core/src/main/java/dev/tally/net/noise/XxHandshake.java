package dev.tally.net.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The Noise XX handshake state machine, Noise_XX_25519_ChaChaPoly_SHA256:
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Pure computation, no I/O: callers feed and take whole messages. Each side calls {@code
 * writeMessage}/{@code readMessage} alternately, initiator first, then {@link #split()}.
 */
final class XxHandshake {
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  private static final int DH_LEN = X25519KeyPair.LENGTH;
  private static final int TAG = CipherState.TAG_LENGTH;

  private final boolean initiator;
  private final SymmetricState ss = new SymmetricState(PROTOCOL_NAME);
  private final X25519KeyPair s;
  private final Supplier<X25519KeyPair> ephemeral;
  private X25519KeyPair e;
  private byte[] re;
  private byte[] rs;
  private int step;

  XxHandshake(
      boolean initiator, byte[] prologue, X25519KeyPair s, Supplier<X25519KeyPair> ephemeral) {
    this.initiator = initiator;
    this.s = s;
    this.ephemeral = ephemeral;
    ss.mixHash(prologue);
  }

  static XxHandshake create(boolean initiator, X25519KeyPair s, SecureRandom random) {
    return new XxHandshake(initiator, new byte[0], s, () -> X25519KeyPair.generate(random));
  }

  boolean isInitiator() {
    return initiator;
  }

  /** Whether the next message is ours to write. */
  boolean writesNext() {
    return (step % 2 == 0) == initiator;
  }

  boolean isComplete() {
    return step == 3;
  }

  byte[] writeMessage(byte[] payload) {
    if (isComplete() || !writesNext()) {
      throw new IllegalStateException("XX message " + step + " is not ours to write");
    }
    byte[] out;
    switch (step) {
      case 0 -> {
        e = ephemeral.get();
        byte[] epub = e.publicKey();
        ss.mixHash(epub);
        out = concat(epub, ss.encryptAndHash(payload));
      }
      case 1 -> {
        e = ephemeral.get();
        byte[] epub = e.publicKey();
        ss.mixHash(epub);
        ss.mixKey(e.dh(re));
        byte[] encS = ss.encryptAndHash(s.publicKey());
        ss.mixKey(s.dh(re));
        out = concat(epub, encS, ss.encryptAndHash(payload));
      }
      default -> {
        byte[] encS = ss.encryptAndHash(s.publicKey());
        ss.mixKey(s.dh(re));
        out = concat(encS, ss.encryptAndHash(payload));
      }
    }
    step++;
    return out;
  }

  /** Processes the peer's message and returns its decrypted payload. */
  byte[] readMessage(byte[] msg) {
    if (isComplete() || writesNext()) {
      throw new IllegalStateException("XX message " + step + " is not the peer's to send");
    }
    int min =
        switch (step) {
          case 0 -> DH_LEN;
          case 1 -> DH_LEN + DH_LEN + TAG + TAG;
          default -> DH_LEN + TAG + TAG;
        };
    if (msg.length < min) {
      throw new NoiseException(
          "Noise handshake message "
              + (step + 1)
              + " is "
              + msg.length
              + " bytes, shorter than the "
              + min
              + " its pattern needs");
    }
    byte[] payload;
    switch (step) {
      case 0 -> {
        re = Arrays.copyOf(msg, DH_LEN);
        ss.mixHash(re);
        payload = ss.decryptAndHash(msg, DH_LEN, msg.length - DH_LEN);
      }
      case 1 -> {
        re = Arrays.copyOf(msg, DH_LEN);
        ss.mixHash(re);
        ss.mixKey(e.dh(re));
        rs = ss.decryptAndHash(msg, DH_LEN, DH_LEN + TAG);
        ss.mixKey(e.dh(rs));
        int off = DH_LEN + DH_LEN + TAG;
        payload = ss.decryptAndHash(msg, off, msg.length - off);
      }
      default -> {
        rs = ss.decryptAndHash(msg, 0, DH_LEN + TAG);
        ss.mixKey(e.dh(rs));
        int off = DH_LEN + TAG;
        payload = ss.decryptAndHash(msg, off, msg.length - off);
      }
    }
    step++;
    return payload;
  }

  /** The remote's static X25519 key, known once its {@code s} token was read. */
  byte[] remoteStatic() {
    if (rs == null) {
      throw new IllegalStateException("remote static key not received yet");
    }
    return rs.clone();
  }

  /** Transport ciphers as {@code [send, receive]} for this side. */
  CipherState[] split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    CipherState[] c = ss.split();
    return initiator ? c : new CipherState[] {c[1], c[0]};
  }

  byte[] handshakeHash() {
    return ss.handshakeHash();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
