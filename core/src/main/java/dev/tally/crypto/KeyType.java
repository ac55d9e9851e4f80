package dev.tally.crypto;

import java.util.Optional;

/** The libp2p key types, with their numbers in the {@code KeyType} protobuf enum. */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<KeyType> byCode(int code) {
    for (KeyType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
