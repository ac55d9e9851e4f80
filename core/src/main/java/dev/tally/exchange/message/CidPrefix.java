package dev.tally.exchange.message;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Multihash;
import dev.tally.multiformats.Varint;
import java.io.ByteArrayOutputStream;

/**
 * The CID of a block without its digest (version, codec, hash function, digest length), as Bitswap
 * 1.1.0 sends next to the block bytes: the receiver hashes the bytes to rebuild the CID, so a block
 * always names what its bytes hash to.
 */
public record CidPrefix(int version, long codec, long hashFunction, int digestLength) {
  /** The implicit prefix of Bitswap 1.0.0 blocks: CIDv0, dag-pb, sha2-256. */
  public static final CidPrefix V0 = new CidPrefix(0, Multicodec.DAG_PB, Multicodec.SHA2_256, 32);

  public CidPrefix {
    if (version != 0 && version != 1) {
      throw new MessageException("CID prefix has version " + version + ", expected 0 or 1");
    }
    if (version == 0
        && (codec != Multicodec.DAG_PB
            || hashFunction != Multicodec.SHA2_256
            || digestLength != 32)) {
      throw new MessageException("a CIDv0 prefix must be dag-pb, sha2-256, 32 bytes");
    }
    if (digestLength < 0 || digestLength > Multihash.MAX_DIGEST_LENGTH) {
      throw new MessageException(
          "CID prefix digest length "
              + digestLength
              + " is outside 0.."
              + Multihash.MAX_DIGEST_LENGTH);
    }
  }

  public static CidPrefix of(Cid cid) {
    return new CidPrefix(
        cid.version(), cid.codec(), cid.multihash().code(), cid.multihash().digestLength());
  }

  /** Decodes exactly four uvarints. */
  public static CidPrefix decode(byte[] bytes) {
    try {
      int pos = 0;
      long[] v = new long[4];
      for (int i = 0; i < 4; i++) {
        v[i] = Varint.decode(bytes, pos, bytes.length);
        pos += Varint.decodedLength(bytes, pos, bytes.length);
      }
      if (pos != bytes.length) {
        throw new MessageException(
            "CID prefix has " + (bytes.length - pos) + " trailing bytes after its four varints");
      }
      if (v[0] > 1 || v[3] > Multihash.MAX_DIGEST_LENGTH) {
        throw new MessageException(
            "CID prefix version " + v[0] + " or digest length " + v[3] + " is out of range");
      }
      return new CidPrefix((int) v[0], v[1], v[2], (int) v[3]);
    } catch (MultiformatException e) {
      throw new MessageException("malformed CID prefix: " + e.getMessage(), e);
    }
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    for (long v : new long[] {version, codec, hashFunction, digestLength}) {
      out.writeBytes(Varint.encode(v));
    }
    return out.toByteArray();
  }

  /**
   * Hashes {@code data} and names it by this prefix. CPU-bound on big blocks: call off the event
   * loop.
   *
   * @throws MessageException when the hash function is unsupported or its digest length differs
   */
  public Cid sum(byte[] data) {
    Multihash mh;
    try {
      mh = Multihash.sum(hashFunction, data);
    } catch (MultiformatException e) {
      throw new MessageException("cannot hash a received block: " + e.getMessage(), e);
    }
    if (mh.digestLength() != digestLength) {
      throw new MessageException(
          "CID prefix asks for a "
              + digestLength
              + "-byte digest, the hash function gives "
              + mh.digestLength());
    }
    return version == 0 ? Cid.v0(mh) : Cid.v1(codec, mh);
  }
}
