package dev.tally.storage.blocks;

import java.io.DataInputStream;
import java.io.IOException;
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

  /** A record's header as read from a pack: its raw bytes (the CRC covers them) and fields. */
  record Header(byte[] raw, int multihashLength, int bodyLength, int crc) {
    /** Reads the next header from a stream positioned at a record. */
    static Header read(DataInputStream in) throws IOException {
      byte[] raw = new byte[HEADER];
      in.readFully(raw);
      ByteBuffer h = ByteBuffer.wrap(raw);
      return new Header(raw, h.getShort() & 0xffff, h.getInt(), h.getInt());
    }

    /** Whether the body checks out against this header and the multihash. */
    boolean matches(byte[] multihash, byte[] body) {
      return PackRecord.crc(raw, multihash, ByteBuffer.wrap(body)) == crc;
    }
  }
}
