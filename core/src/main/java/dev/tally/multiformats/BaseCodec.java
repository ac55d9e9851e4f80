package dev.tally.multiformats;

/** One multibase alphabet without its prefix. */
interface BaseCodec {
  void encode(byte[] data, int off, int len, StringBuilder out);

  /** Decodes {@code s} from index {@code from} to its end. */
  byte[] decode(String s, int from);

  /** Upper bound of the characters {@link #encode} writes for {@code len} bytes. */
  int maxEncodedLength(int len);
}
