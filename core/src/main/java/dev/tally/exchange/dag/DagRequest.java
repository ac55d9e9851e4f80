package dev.tally.exchange.dag;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldInt;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;

/**
 * What a receiver asks for: every block reachable from {@code roots}, depth first in link order,
 * neither sending nor descending into any CID in {@code stop} (the heads it already holds), at most
 * {@code depth} links below a root and {@code maxBlocks} blocks. On the wire it is the DAG-CBOR map
 * {@code {credit, depth, maxBlocks, roots: [CID], stop: [CID]}} in one uvarint-length frame.
 *
 * @param roots where the walk starts (the CAR header's roots), at least one
 * @param stop CIDs neither sent nor walked below
 * @param depth links followed below a root; 0 sends the roots alone; {@link #UNLIMITED} for all
 * @param maxBlocks the response ends after this many blocks (the sender may cap it lower)
 * @param credit bytes of CAR the sender may send before the receiver grants more
 */
public record DagRequest(List<Cid> roots, List<Cid> stop, int depth, long maxBlocks, long credit) {
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public DagRequest {
    roots = List.copyOf(roots);
    stop = List.copyOf(stop);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("a DAG request needs at least one root");
    }
    if (depth < 0 || maxBlocks < 1) {
      throw new IllegalArgumentException("depth must be >= 0 and maxBlocks >= 1");
    }
    if (credit < DagOptions.MIN_CREDIT) {
      throw new IllegalArgumentException(
          "credit must be at least " + DagOptions.MIN_CREDIT + " bytes (one maximal block)");
    }
  }

  /** Everything under {@code root} except what lies under {@code stop}. */
  public static DagRequest of(Cid root, List<Cid> stop, long maxBlocks, long credit) {
    return new DagRequest(List.of(root), stop, UNLIMITED, maxBlocks, credit);
  }

  public byte[] encode() {
    return DagCbor.encode(
        IpldMap.builder()
            .put("credit", credit)
            .put("depth", (long) depth)
            .put("maxBlocks", maxBlocks)
            .put("roots", links(roots))
            .put("stop", links(stop))
            .build());
  }

  private static IpldList links(List<Cid> cids) {
    List<IpldNode> out = new ArrayList<>(cids.size());
    for (Cid c : cids) {
      out.add(new IpldLink(c));
    }
    return IpldList.of(out);
  }

  /**
   * Decodes and checks a request against the server's limits.
   *
   * @throws DagException naming what is wrong, for the refusal sent back
   */
  public static DagRequest decode(byte[] bytes, DagOptions limits) {
    try {
      IpldMap m = DagCbor.decode(bytes, 4).asMap();
      List<Cid> roots = cids(m, "roots", limits.maxRoots());
      List<Cid> stop = cids(m, "stop", limits.maxStop());
      return new DagRequest(
          roots,
          stop,
          (int) Math.min(UNLIMITED, integer(m, "depth")),
          integer(m, "maxBlocks"),
          integer(m, "credit"));
    } catch (DagException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DagException("malformed DAG request: " + e.getMessage(), e);
    }
  }

  private static long integer(IpldMap m, String key) {
    IpldNode n =
        m.get(key).orElseThrow(() -> new DagException("DAG request lacks the field " + key));
    if (!(n instanceof IpldInt i)) {
      throw new DagException("DAG request field " + key + " must be an integer");
    }
    long v = i.asLong();
    if (v < 0) {
      throw new DagException("DAG request field " + key + " must not be negative");
    }
    return v;
  }

  private static List<Cid> cids(IpldMap m, String key, int max) {
    IpldNode n =
        m.get(key).orElseThrow(() -> new DagException("DAG request lacks the field " + key));
    if (!(n instanceof IpldList list)) {
      throw new DagException("DAG request field " + key + " must be a list of CIDs");
    }
    if (list.size() > max) {
      throw new DagException(
          "DAG request names " + list.size() + " " + key + " CIDs; at most " + max + " allowed");
    }
    List<Cid> out = new ArrayList<>(list.size());
    for (IpldNode e : list.asList()) {
      if (!(e instanceof IpldLink l)) {
        throw new DagException("DAG request field " + key + " must hold only CIDs");
      }
      out.add(l.cid());
    }
    return out;
  }
}
