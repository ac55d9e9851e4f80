package dev.tally.storage.blocks;

import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * A pack's committed state: its length (every byte before it belongs to an acknowledged record) and
 * how many of its record bytes are still live (compaction picks packs by the live ratio).
 */
record PackInfo(long length, long liveBytes) {

  double liveRatio() {
    long records = length - PackFile.HEADER;
    return records <= 0 ? 1.0 : (double) liveBytes / records;
  }

  /** MVStore encoding: two varints. */
  static final class Type extends BasicDataType<PackInfo> {
    static final Type INSTANCE = new Type();

    private Type() {}

    @Override
    public int getMemory(PackInfo value) {
      return 32;
    }

    @Override
    public void write(WriteBuffer buf, PackInfo value) {
      buf.putVarLong(value.length()).putVarLong(value.liveBytes());
    }

    @Override
    public PackInfo read(ByteBuffer buf) {
      return new PackInfo(DataUtils.readVarLong(buf), DataUtils.readVarLong(buf));
    }

    @Override
    public PackInfo[] createStorage(int size) {
      return new PackInfo[size];
    }
  }
}
