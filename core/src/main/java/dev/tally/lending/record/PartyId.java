package dev.tally.lending.record;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;

/**
 * A party: the CID (codec libp2p-key) of its Ed25519 public key, the CID form of its peer id. It is
 * written as a link in records and shown as the peer id ({@code 12D3KooW...}).
 */
public record PartyId(Cid cid) implements Comparable<PartyId> {
  public PartyId {
    if (cid.codec() != Multicodec.LIBP2P_KEY) {
      throw new RecordFormatException("a party id is a libp2p-key CID, got " + cid);
    }
  }

  public static PartyId of(Ed25519PublicKey key) {
    return new PartyId(PeerId.fromPublicKey(key).toCid());
  }

  /** The party whose raw 32-byte Ed25519 key is {@code raw} (an entry's author). */
  public static PartyId ofRawKey(byte[] raw) {
    return of(Ed25519PublicKey.of(raw));
  }

  /** A party id from a peer id ({@code 12D3KooW...}) or its CID form. */
  public static PartyId parse(String text) {
    return new PartyId(PeerId.parse(text).toCid());
  }

  @Override
  public int compareTo(PartyId o) {
    return cid.compareTo(o.cid);
  }

  /** The peer id text. */
  @Override
  public String toString() {
    return PeerId.of(cid.multihash()).toString();
  }
}
