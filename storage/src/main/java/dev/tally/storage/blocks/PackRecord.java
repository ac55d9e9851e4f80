package dev.tally.storage.blocks;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A block record in a pack: {@code u16 multihash length, u32 body length, u32 CRC-32C} (big
 * endian), then the multihash bytes, then the body. The CRC covers both lengths, the multihash and
 * the body, so a torn or flipped record is caught on every read without re-hashing the block.
 */
final class PackRecord {
  static final int HEADER = 10;

  private PackRecord() {}

  static int length(int multihashLength, int bodyLength) {
    return HEADER + multihashLength + bodyLength;
  }

  static byte[] header(byte[] multihash, ByteBuffer body) {
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.putShort((short) multihash.length).putInt(body.remaining());
    h.putInt(crc(h.array(), multihash, body.duplicate()));
    return h.array();
  }

  static int crc(byte[] header, byte[] multihash, ByteBuffer body) {
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 6);
    crc.update(multihash);
    crc.update(body);
    return (int) crc.getValue();
  }
}
