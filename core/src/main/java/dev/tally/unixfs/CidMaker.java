package dev.tally.unixfs;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;

/**
 * Names blocks the way Kubo's CID builder does: CIDv0 only for dag-pb, raw blocks always CIDv1, and
 * with inlining, blocks up to the limit carry their bytes in an identity multihash (CIDv1).
 */
final class CidMaker {
  private final int version;
  private final long hashFunction;
  private final int inlineLimit;

  CidMaker(ImportOptions options) {
    this.version = options.cidVersion();
    this.hashFunction = options.hashFunction();
    this.inlineLimit = options.inlineLimit();
  }

  Cid cid(long codec, byte[] block) {
    if (inlineLimit > 0 && block.length <= inlineLimit) {
      return Cid.v1(codec, Multihash.of(Multicodec.IDENTITY, block));
    }
    Multihash mh = Multihash.sum(hashFunction, block);
    return version == 0 && codec == Multicodec.DAG_PB ? Cid.v0(mh) : Cid.v1(codec, mh);
  }
}
