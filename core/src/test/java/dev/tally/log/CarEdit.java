package dev.tally.log;

import dev.tally.car.CarReader;
import dev.tally.car.CarWriter;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Rewrites a proof or bundle CAR the way a forger would: same roots, some blocks left out. */
public final class CarEdit {
  private CarEdit() {}

  /** {@code car} without the blocks whose CID matches {@code drop}. */
  public static byte[] without(byte[] car, Predicate<Cid> drop) throws IOException {
    List<Block> blocks = new ArrayList<>();
    List<Cid> roots;
    try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
      roots = r.roots();
      r.blocks().forEach(blocks::add);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.open(out, roots)) {
      for (Block b : blocks) {
        if (!drop.test(b.cid())) {
          w.write(b);
        }
      }
    }
    return out.toByteArray();
  }

  /** The CIDs of {@code car}'s blocks, in order. */
  public static List<Cid> cids(byte[] car) throws IOException {
    List<Cid> out = new ArrayList<>();
    try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
      r.blocks().forEach(b -> out.add(b.cid()));
    }
    return out;
  }
}
