package dev.tally.storage.pin;

import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Multicodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small DAGs for pin and GC tests: raw leaves under dag-pb nodes. */
public final class Dags {
  private Dags() {}

  public static Block leaf(String text) {
    return Block.create(Multicodec.RAW, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Block node(String data, Block... children) {
    List<PbLink> links = new ArrayList<>();
    for (int i = 0; i < children.length; i++) {
      links.add(PbLink.of(children[i].cid(), "c" + i, children[i].size()));
    }
    return Block.create(
        Multicodec.DAG_PB, DagPb.encode(PbNode.of(links, data.getBytes(StandardCharsets.UTF_8))));
  }
}
