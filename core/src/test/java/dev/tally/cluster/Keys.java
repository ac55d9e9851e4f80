package dev.tally.cluster;

import dev.tally.crypto.Ed25519PrivateKey;

/** Deterministic test keys. */
final class Keys {
  private Keys() {}

  static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = (byte) (seed >> 8);
    s[31] = 9;
    return Ed25519PrivateKey.fromSeed(s);
  }
}
