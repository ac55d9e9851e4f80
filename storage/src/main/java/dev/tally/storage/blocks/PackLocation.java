package dev.tally.storage.blocks;

import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** Where a block's record starts: its pack, the record's offset, and the body size. */
record PackLocation(int pack, long offset, int size) {

  /** MVStore encoding: three varints. */
  static final class Type extends BasicDataType<PackLocation> {
    static final Type INSTANCE = new Type();

    private Type() {}

    @Override
    public int getMemory(PackLocation value) {
      return 40;
    }

    @Override
    public void write(WriteBuffer buf, PackLocation value) {
      buf.putVarInt(value.pack()).putVarLong(value.offset()).putVarInt(value.size());
    }

    @Override
    public PackLocation read(ByteBuffer buf) {
      return new PackLocation(
          DataUtils.readVarInt(buf), DataUtils.readVarLong(buf), DataUtils.readVarInt(buf));
    }

    @Override
    public PackLocation[] createStorage(int size) {
      return new PackLocation[size];
    }
  }
}
