package dev.tally.crypto;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multibase;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import java.util.Objects;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a protobuf-encoded public key — the identity multihash when
 * the encoding is at most 42 bytes (Ed25519, secp256k1: {@code 12D3KooW…}, {@code 16Uiu2…}),
 * otherwise sha2-256 ({@code Qm…}). Immutable; equality and order by bytes; {@link #toString()} is
 * the base58btc text.
 */
public final class PeerId implements Comparable<PeerId> {
  /** Longest public key encoding that is inlined rather than hashed. */
  public static final int MAX_INLINE_KEY_LENGTH = 42;

  private final Multihash multihash;

  private PeerId(Multihash multihash) {
    this.multihash = multihash;
  }

  /** The peer id of {@code key}. */
  public static PeerId fromPublicKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] encoded = key.marshal();
    return new PeerId(
        encoded.length <= MAX_INLINE_KEY_LENGTH
            ? Multihash.of(Multicodec.IDENTITY, encoded)
            : Multihash.sha256(encoded));
  }

  /**
   * A peer id from its multihash: sha2-256 of a key, or an identity multihash that must hold a
   * valid protobuf public key of at most 42 bytes.
   */
  public static PeerId of(Multihash multihash) {
    Objects.requireNonNull(multihash, "multihash");
    if (multihash.code() == Multicodec.SHA2_256) {
      if (multihash.digestLength() != 32) {
        throw new PeerIdFormatException(
            "sha2-256 peer id must have a 32-byte digest, got " + multihash.digestLength());
      }
      return new PeerId(multihash);
    }
    if (multihash.code() == Multicodec.IDENTITY) {
      if (multihash.digestLength() > MAX_INLINE_KEY_LENGTH) {
        throw new PeerIdFormatException(
            "identity peer id inlines "
                + multihash.digestLength()
                + " bytes; keys over "
                + MAX_INLINE_KEY_LENGTH
                + " bytes are hashed with sha2-256");
      }
      try {
        PublicKey.unmarshal(multihash.digest());
      } catch (KeyFormatException e) {
        throw new PeerIdFormatException(
            "identity peer id does not hold a valid public key: " + e.getMessage(), e);
      }
      return new PeerId(multihash);
    }
    throw new PeerIdFormatException(
        "peer id multihash must be identity (0x00) or sha2-256 (0x12), got 0x"
            + Long.toHexString(multihash.code()));
  }

  /** A peer id from its binary multihash (as in {@code /p2p/} multiaddrs and protobufs). */
  public static PeerId fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return of(Multihash.decode(bytes));
    } catch (MultiformatException e) {
      throw new PeerIdFormatException("malformed peer id bytes: " + e.getMessage(), e);
    }
  }

  /**
   * Parses the legacy base58btc form ({@code 12D3KooW…}, {@code Qm…}, {@code 16Uiu2…}) or a CIDv1
   * with the libp2p-key codec in any multibase ({@code bafz…}, {@code k51…}).
   */
  public static PeerId parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new PeerIdFormatException("empty peer id");
    }
    try {
      if (text.startsWith("1") || text.startsWith("Qm")) {
        return of(Multihash.decode(Multibase.BASE58BTC.decodeRaw(text)));
      }
      Cid cid = Cid.parse(text);
      if (cid.version() != 1 || cid.codec() != Multicodec.LIBP2P_KEY) {
        throw new PeerIdFormatException(
            "'"
                + text
                + "' is a CID but not a peer id: expected CIDv1 with codec libp2p-key (0x72), got v"
                + cid.version()
                + " codec 0x"
                + Long.toHexString(cid.codec()));
      }
      return of(cid.multihash());
    } catch (MultiformatException e) {
      throw new PeerIdFormatException(
          "'"
              + text
              + "' is not a peer id (base58btc multihash or libp2p-key CID): "
              + e.getMessage(),
          e);
    }
  }

  public Multihash multihash() {
    return multihash;
  }

  /** The binary multihash (a copy). */
  public byte[] bytes() {
    return multihash.bytes();
  }

  /** The public key, when the id inlines it (identity multihash). */
  public Optional<PublicKey> publicKey() {
    if (multihash.code() != Multicodec.IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(PublicKey.unmarshal(multihash.digest()));
  }

  /** Whether {@code key} is the key this id was derived from. */
  public boolean matches(PublicKey key) {
    return equals(fromPublicKey(key));
  }

  /** The CIDv1 form (codec libp2p-key), printed in base32 by default. */
  public Cid toCid() {
    return Cid.v1(Multicodec.LIBP2P_KEY, multihash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && multihash.equals(other.multihash);
  }

  @Override
  public int hashCode() {
    return multihash.hashCode();
  }

  @Override
  public int compareTo(PeerId o) {
    return multihash.compareTo(o.multihash);
  }

  /** The base58btc text form, as libp2p implementations display peer ids. */
  @Override
  public String toString() {
    return multihash.toString();
  }
}
