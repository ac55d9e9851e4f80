package dev.tally.car;

/**
 * The fixed 40-byte CARv2 header that follows the pragma. Offsets count from the first byte of the
 * pragma; the characteristics bitfield is read but not interpreted (no characteristic is defined).
 *
 * @param dataOffset where the embedded CARv1 payload starts
 * @param dataSize length of the embedded CARv1 payload
 * @param indexOffset where the index starts, or 0 when there is none
 */
public record CarV2Header(long dataOffset, long dataSize, long indexOffset) {

  /** Pragma (11 bytes) plus header (40 bytes): the smallest possible data offset. */
  public static final int PREFIX_LENGTH = 51;

  public CarV2Header {
    if (dataOffset < PREFIX_LENGTH) {
      throw CarException.at(
          11, "CARv2 data offset " + Long.toUnsignedString(dataOffset) + " is before byte 51");
    }
    if (dataSize < 0 || dataOffset > Long.MAX_VALUE - dataSize) {
      throw CarException.at(
          11,
          "CARv2 data size "
              + Long.toUnsignedString(dataSize)
              + " at offset "
              + dataOffset
              + " runs past any possible archive");
    }
    if (indexOffset != 0 && Long.compareUnsigned(indexOffset, dataOffset + dataSize) < 0) {
      throw CarException.at(
          11,
          "CARv2 index offset "
              + Long.toUnsignedString(indexOffset)
              + " lies inside the data payload that ends at "
              + (dataOffset + dataSize));
    }
  }

  /** Whether the archive declares an index after the data payload. */
  public boolean hasIndex() {
    return indexOffset != 0;
  }
}
