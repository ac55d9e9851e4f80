package dev.tally.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.crypto.pb.CryptoProto;
import java.util.Arrays;
import java.util.Objects;

/**
 * A libp2p public key of any supported type. Ed25519 keys are Tally's own; the other types are
 * supported for verifying what remote peers present.
 */
public sealed interface PublicKey permits Ed25519PublicKey, DerPublicKey, Secp256k1PublicKey {

  /** Longest protobuf-encoded public key accepted (an 8192-bit RSA key is about 1.1 KB). */
  int MAX_ENCODED_LENGTH = 2048;

  KeyType type();

  /** The key in its type's own encoding (the protobuf {@code Data} field); a copy. */
  byte[] raw();

  /** Whether {@code signature} is a valid signature of {@code data} by this key. */
  boolean verify(byte[] data, byte[] signature);

  /** The canonical protobuf {@code PublicKey} encoding, as hashed into peer ids. */
  default byte[] marshal() {
    return CryptoProto.PublicKey.newBuilder()
        .setType(CryptoProto.KeyType.forNumber(type().code()))
        .setData(ByteString.copyFrom(raw()))
        .build()
        .toByteArray();
  }

  default PeerId peerId() {
    return PeerId.fromPublicKey(this);
  }

  /**
   * Decodes a protobuf {@code PublicKey}. The encoding must be canonical (fields in order, no
   * unknown fields), since peer ids are derived from these exact bytes.
   */
  static PublicKey unmarshal(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length > MAX_ENCODED_LENGTH) {
      throw new KeyFormatException(
          "public key protobuf is "
              + encoded.length
              + " bytes, more than the "
              + MAX_ENCODED_LENGTH
              + " accepted");
    }
    CryptoProto.PublicKey pb;
    try {
      pb = CryptoProto.PublicKey.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new KeyFormatException("malformed public key protobuf: " + e.getMessage(), e);
    }
    if (!pb.getUnknownFields().asMap().isEmpty()) {
      throw new KeyFormatException("public key protobuf carries unknown fields");
    }
    if (!pb.hasType() || pb.getType() == null) {
      throw new KeyFormatException("public key protobuf has no known key type");
    }
    byte[] data = pb.getData().toByteArray();
    PublicKey key =
        switch (pb.getType()) {
          case Ed25519 -> Ed25519PublicKey.of(data);
          case RSA -> RsaPublicKey.of(data);
          case ECDSA -> EcdsaPublicKey.of(data);
          case Secp256k1 -> Secp256k1PublicKey.of(data);
        };
    if (!Arrays.equals(key.marshal(), encoded)) {
      throw new KeyFormatException(
          "public key protobuf is not canonically encoded (field order or extra bytes)");
    }
    return key;
  }
}
