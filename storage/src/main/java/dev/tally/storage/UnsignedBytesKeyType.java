package dev.tally.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Binary keys (encoded multihashes, binary CIDs) for MVStore maps, ordered as unsigned bytes (as
 * Kubo lists keys).
 */
public final class UnsignedBytesKeyType extends BasicDataType<byte[]> {
  public static final UnsignedBytesKeyType INSTANCE = new UnsignedBytesKeyType();

  private UnsignedBytesKeyType() {}

  @Override
  public int getMemory(byte[] key) {
    return 24 + key.length;
  }

  @Override
  public void write(WriteBuffer buf, byte[] key) {
    buf.putVarInt(key.length).put(key);
  }

  @Override
  public byte[] read(ByteBuffer buf) {
    byte[] key = new byte[DataUtils.readVarInt(buf)];
    buf.get(key);
    return key;
  }

  @Override
  public byte[][] createStorage(int size) {
    return new byte[size][];
  }

  @Override
  public int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
