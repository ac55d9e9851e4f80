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
 * What a receiver asks for: the blocks under {@code roots} that {@code scope} covers, depth first
 * in link order, at most {@code depth} links below a root and {@code maxBlocks} blocks, less what
 * {@code stop} excludes. On the wire it is the DAG-CBOR map {@code {credit, depth, maxBlocks,
 * roots: [CID], stop: [CID]}} (plus {@code scope} when not {@code "all"} and {@code stopMode} when
 * not {@code "prune"}) in one uvarint-length frame.
 *
 * @param roots where the walk starts (the CAR header's roots), at least one
 * @param stop CIDs the receiver holds (the heads of what it has)
 * @param depth links followed below a root; 0 sends the roots alone; {@link #UNLIMITED} for all
 * @param maxBlocks the response ends after this many blocks (the sender may cap it lower)
 * @param credit bytes of CAR the sender may send before the receiver grants more
 * @param scope which links of a block the walk follows
 * @param stopMode what {@code stop} excludes
 */
public record DagRequest(
    List<Cid> roots,
    List<Cid> stop,
    int depth,
    long maxBlocks,
    long credit,
    DagScope scope,
    StopMode stopMode) {
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /** What the {@code stop} CIDs exclude. */
  public enum StopMode {
    /**
     * The stop CIDs are neither sent nor walked below; a block also reachable another way is sent.
     * Costs the sender nothing beyond the answer (a log's delta above the heads it names).
     */
    PRUNE,
    /**
     * Nothing reachable from a stop CID is sent: exactly "reachable from these roots but not from
     * those". The sender walks the stop side first (what it holds of it, within its block limit),
     * so this costs as much as reading that side.
     */
    REACHABLE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public DagRequest {
    roots = List.copyOf(roots);
    stop = List.copyOf(stop);
    java.util.Objects.requireNonNull(scope, "scope");
    java.util.Objects.requireNonNull(stopMode, "stopMode");
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

  /** Everything under the roots ({@link DagScope#ALL}) with the stop CIDs pruned. */
  public DagRequest(List<Cid> roots, List<Cid> stop, int depth, long maxBlocks, long credit) {
    this(roots, stop, depth, maxBlocks, credit, DagScope.ALL, StopMode.PRUNE);
  }

  public DagRequest withScope(DagScope s) {
    return new DagRequest(roots, stop, depth, maxBlocks, credit, s, stopMode);
  }

  public DagRequest withStopMode(StopMode m) {
    return new DagRequest(roots, stop, depth, maxBlocks, credit, scope, m);
  }

  /** Everything under {@code root} except what lies under {@code stop}. */
  public static DagRequest of(Cid root, List<Cid> stop, long maxBlocks, long credit) {
    return new DagRequest(List.of(root), stop, UNLIMITED, maxBlocks, credit);
  }

  public byte[] encode() {
    IpldMap.Builder m =
        IpldMap.builder()
            .put("credit", credit)
            .put("depth", (long) depth)
            .put("maxBlocks", maxBlocks)
            .put("roots", links(roots))
            .put("stop", links(stop));
    // Left out at their defaults, so a plain request reads the same to peers that predate them.
    if (scope != DagScope.ALL) {
      m.put("scope", scope.wireName());
    }
    if (stopMode != StopMode.PRUNE) {
      m.put("stopMode", stopMode.wireName());
    }
    return DagCbor.encode(m.build());
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
      DagScope scope =
          text(m, "scope", "all")
              .flatMap(DagScope::byWireName)
              .orElseThrow(
                  () -> new DagException("DAG request scope must be block, entity or all"));
      StopMode mode =
          switch (text(m, "stopMode", "prune").orElse("")) {
            case "prune" -> StopMode.PRUNE;
            case "reachable" -> StopMode.REACHABLE;
            default -> throw new DagException("DAG request stopMode must be prune or reachable");
          };
      return new DagRequest(
          roots,
          stop,
          (int) Math.min(UNLIMITED, integer(m, "depth")),
          integer(m, "maxBlocks"),
          integer(m, "credit"),
          scope,
          mode);
    } catch (DagException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DagException("malformed DAG request: " + e.getMessage(), e);
    }
  }

  /** An optional text field: {@code fallback} when absent, empty when not text. */
  private static java.util.Optional<String> text(IpldMap m, String key, String fallback) {
    java.util.Optional<IpldNode> n = m.get(key);
    if (n.isEmpty()) {
      return java.util.Optional.of(fallback);
    }
    return n.get() instanceof dev.tally.ipld.IpldString s
        ? java.util.Optional.of(s.value())
        : java.util.Optional.empty();
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
