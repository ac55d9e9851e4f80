package dev.tally.net.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.crypto.KeyFormatException;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.crypto.PublicKey;
import dev.tally.net.noise.pb.NoiseProto;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The libp2p payload of handshake messages 2 and 3: the sender's identity key and its signature
 * over {@code "noise-libp2p-static-key:" ‖ X25519 static key}, plus NoiseExtensions.
 */
final class HandshakePayloads {
  static final byte[] SIGNATURE_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

  /** What a verified payload proves. */
  record Verified(PublicKey key, PeerId peer, List<String> streamMuxers) {}

  private HandshakePayloads() {}

  static byte[] signedStaticKey(byte[] staticKey) {
    byte[] msg = new byte[SIGNATURE_PREFIX.length + staticKey.length];
    System.arraycopy(SIGNATURE_PREFIX, 0, msg, 0, SIGNATURE_PREFIX.length);
    System.arraycopy(staticKey, 0, msg, SIGNATURE_PREFIX.length, staticKey.length);
    return msg;
  }

  static byte[] create(PrivateKey identity, byte[] staticKey, List<String> streamMuxers) {
    NoiseProto.NoiseHandshakePayload.Builder b =
        NoiseProto.NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
            .setIdentitySig(ByteString.copyFrom(identity.sign(signedStaticKey(staticKey))));
    if (!streamMuxers.isEmpty()) {
      b.setExtensions(NoiseProto.NoiseExtensions.newBuilder().addAllStreamMuxers(streamMuxers));
    }
    return b.build().toByteArray();
  }

  /** Checks that {@code payload} authenticates {@code remoteStatic}; throws why not. */
  static Verified verify(byte[] payload, byte[] remoteStatic) {
    NoiseProto.NoiseHandshakePayload pb;
    try {
      pb = NoiseProto.NoiseHandshakePayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed Noise handshake payload: " + e.getMessage(), e);
    }
    if (!pb.hasIdentityKey() || !pb.hasIdentitySig()) {
      throw new NoiseException(
          "Noise handshake payload lacks "
              + (pb.hasIdentityKey() ? "identity_sig" : "identity_key")
              + "; the remote cannot be authenticated");
    }
    PublicKey key;
    try {
      key = PublicKey.unmarshal(pb.getIdentityKey().toByteArray());
    } catch (KeyFormatException e) {
      throw new NoiseException("Noise handshake identity key is invalid: " + e.getMessage(), e);
    }
    PeerId peer = key.peerId();
    if (!key.verify(signedStaticKey(remoteStatic), pb.getIdentitySig().toByteArray())) {
      throw new NoiseException(
          "identity signature of " + peer + " does not cover its Noise static key");
    }
    List<String> muxers =
        pb.hasExtensions() ? List.copyOf(pb.getExtensions().getStreamMuxersList()) : List.of();
    return new Verified(key, peer, muxers);
  }
}
