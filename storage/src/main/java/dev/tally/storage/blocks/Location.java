package dev.tally.storage.blocks;

import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Where a block's body is kept: its id in the body map and its size, so deleting a block updates
 * the byte counter without reading the body.
 */
record Location(long id, int size) {

  /** MVStore encoding: two varints. */
  static final class Type extends BasicDataType<Location> {
    static final Type INSTANCE = new Type();

    private Type() {}

    @Override
    public int getMemory(Location value) {
      return 32;
    }

    @Override
    public void write(WriteBuffer buf, Location value) {
      buf.putVarLong(value.id()).putVarInt(value.size());
    }

    @Override
    public Location read(ByteBuffer buf) {
      return new Location(DataUtils.readVarLong(buf), DataUtils.readVarInt(buf));
    }

    @Override
    public Location[] createStorage(int size) {
      return new Location[size];
    }
  }
}
