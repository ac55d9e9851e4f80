package dev.tally.storage.blocks;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.Database;
import dev.tally.storage.UnsignedBytesKeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * Moves block bodies that the first repo layout kept in the database ({@link H2Blockstore}'s maps)
 * into packs, then drops those maps. Safe to interrupt: a rerun skips blocks already moved.
 */
public final class LegacyLayout {
  private static final long BATCH_BYTES = 64L << 20;

  private LegacyLayout() {}

  /** Returns how many blocks were moved (0 when the database has no bodies). */
  public static long migrate(Database db, PackBlockstore target) {
    MVStore store = db.mvstore();
    if (!store.hasMap("blocks.data")) {
      return 0;
    }
    MVMap<byte[], Location> index =
        store.openMap(
            "blocks.index",
            new MVMap.Builder<byte[], Location>()
                .keyType(UnsignedBytesKeyType.INSTANCE)
                .valueType(Location.Type.INSTANCE));
    MVMap<Long, byte[]> data =
        store.openMap(
            "blocks.data",
            new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    long moved = 0;
    List<Block> batch = new ArrayList<>();
    long batchBytes = 0;
    for (Map.Entry<byte[], Location> e : index.entrySet()) {
      byte[] body = data.get(e.getValue().id());
      if (body == null) {
        continue;
      }
      batch.add(Block.ofOwned(Cid.v1(Multicodec.RAW, Multihash.decode(e.getKey())), body));
      batchBytes += body.length;
      if (batchBytes >= BATCH_BYTES) {
        target.putAll(batch);
        moved += batch.size();
        batch.clear();
        batchBytes = 0;
      }
    }
    target.putAll(batch);
    moved += batch.size();
    db.write(
        "drop the first layout's block maps",
        () -> {
          store.removeMap(index);
          store.removeMap(data);
          if (store.hasMap("blocks.meta")) {
            store.removeMap("blocks.meta");
          }
          return null;
        });
    return moved;
  }
}
