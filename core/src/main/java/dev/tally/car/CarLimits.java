package dev.tally.car;

/**
 * Bounds a CAR reader or writer enforces before it allocates anything for a header or section.
 *
 * @param maxHeaderBytes largest accepted CARv1 header (the DAG-CBOR block after the first varint)
 * @param maxBlockBytes largest accepted block; a section may hold this plus a CID of at most {@link
 *     #MAX_CID_BYTES}
 */
public record CarLimits(int maxHeaderBytes, int maxBlockBytes) {

  /**
   * Largest CID accepted in a section. A sha2-512 CIDv1 takes 68 bytes; the rest leaves room for
   * identity CIDs that inline up to ~200 bytes, more than Kubo's inline limit allows.
   */
  public static final int MAX_CID_BYTES = 256;

  /** Header of 1 MiB (about 25,000 roots) and blocks of 2 MiB, the network's block limit. */
  public static final CarLimits DEFAULT = new CarLimits(1 << 20, 2 << 20);

  public CarLimits {
    if (maxHeaderBytes < 1 || maxBlockBytes < 0) {
      throw new IllegalArgumentException(
          "CAR limits must be positive, got header " + maxHeaderBytes + ", block " + maxBlockBytes);
    }
    if (maxBlockBytes > Integer.MAX_VALUE - MAX_CID_BYTES - 16) {
      throw new IllegalArgumentException("block limit " + maxBlockBytes + " is too large");
    }
  }

  /** Largest section length (CID plus block) that a length prefix may announce. */
  public int maxSectionBytes() {
    return maxBlockBytes + MAX_CID_BYTES;
  }
}
