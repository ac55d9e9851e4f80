package dev.tally.node;

import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small DAGs for the pin tests: random raw leaves under one dag-pb node. */
public final class TestDags {
  private TestDags() {}

  /** A raw block of {@code size} random bytes. */
  public static Block leaf(Random r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return Block.create(Multicodec.RAW, b);
  }

  /** A dag-pb node linking {@code children}, named c00, c01, ... (dag-pb sorts links by name). */
  public static Block node(List<Block> children) {
    List<PbLink> links = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      links.add(
          PbLink.of(children.get(i).cid(), String.format("c%02d", i), children.get(i).size()));
    }
    return Block.create(Multicodec.DAG_PB, DagPb.encode(PbNode.of(links, new byte[0])));
  }

  public static Block node(Block... children) {
    return node(List.of(children));
  }
}
