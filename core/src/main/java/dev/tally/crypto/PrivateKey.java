package dev.tally.crypto;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.crypto.pb.CryptoProto;
import java.util.Objects;

/** A libp2p private key that Tally can sign with. Only Ed25519 identities are supported. */
public sealed interface PrivateKey permits Ed25519PrivateKey {
  KeyType type();

  PublicKey publicKey();

  byte[] sign(byte[] data);

  /** The protobuf {@code PrivateKey} encoding, as stored in a libp2p identity file. */
  byte[] marshal();

  /** Decodes a protobuf {@code PrivateKey} (as go-libp2p and js-libp2p store them). */
  static PrivateKey unmarshal(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    CryptoProto.PrivateKey pb;
    try {
      pb = CryptoProto.PrivateKey.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new KeyFormatException("malformed private key protobuf: " + e.getMessage(), e);
    }
    if (pb.getType() != CryptoProto.KeyType.Ed25519) {
      throw new KeyFormatException(
          "private key type " + pb.getType() + " is not supported; Tally signs with Ed25519 only");
    }
    return Ed25519PrivateKey.fromLibp2pBytes(pb.getData().toByteArray());
  }
}
