package dev.tally.log;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two records the log itself reads besides admissions (ADR 018):
 *
 * <ul>
 *   <li>a checkpoint, {@code {type: "log/checkpoint", v: 1, count, heads: [CID], index: CID,
 *       state?: CID}}: a digest of the entries in the entry's causal past — how many they are, the
 *       heads they hang from (which must equal the entry's {@code next}), the root of their {@link
 *       OrderIndex}, and optionally an application's state root at that point (a pinset snapshot, a
 *       loan book);
 *   <li>an endorsement, {@code {type: "log/endorse", v: 1, checkpoint: CID}}: another signer's
 *       signature on a checkpoint, valid only when the entry lists that checkpoint in its {@code
 *       next} (so it travels, and is proved, with it).
 * </ul>
 */
public final class CheckpointRecords {
  public static final String CHECKPOINT = "log/checkpoint";
  public static final String ENDORSE = "log/endorse";
  public static final long VERSION = 1;

  /**
   * What a checkpoint states.
   *
   * @param count entries in the checkpoint's causal past (the checkpoint itself not counted)
   * @param heads the heads of that past: the checkpoint entry's {@code next}
   * @param index the root of the {@link OrderIndex} of that past
   * @param state an application's state root at that point, if one was supplied
   */
  public record Digest(long count, List<Cid> heads, Cid index, Optional<Cid> state) {
    public Digest {
      heads = heads.stream().distinct().sorted().toList();
      if (count < 0) {
        throw new IllegalArgumentException("a checkpoint's count must be >= 0, got " + count);
      }
    }
  }

  private CheckpointRecords() {}

  /** The checkpoint record stating {@code d}. */
  public static IpldNode checkpoint(Digest d) {
    IpldMap.Builder b =
        IpldNode.map()
            .put("type", CHECKPOINT)
            .put("v", VERSION)
            .put("count", d.count())
            .put(
                "heads",
                IpldNode.list(d.heads().stream().map(c -> (IpldNode) IpldNode.of(c)).toList()))
            .put("index", IpldNode.of(d.index()));
    d.state().ifPresent(s -> b.put("state", IpldNode.of(s)));
    return b.build();
  }

  /** The endorsement of the checkpoint {@code checkpoint}. */
  public static IpldNode endorsement(Cid checkpoint) {
    return IpldNode.map()
        .put("type", ENDORSE)
        .put("v", VERSION)
        .put("checkpoint", IpldNode.of(checkpoint))
        .build();
  }

  private static Optional<String> type(IpldNode record) {
    if (!(record instanceof IpldMap m)) {
      return Optional.empty();
    }
    return m.get("type").filter(t -> t.kind() == IpldNode.Kind.STRING).map(IpldNode::asString);
  }

  /** Whether {@code record} claims to be a checkpoint (it may still be malformed). */
  public static boolean isCheckpoint(IpldNode record) {
    return type(record).filter(CHECKPOINT::equals).isPresent();
  }

  /** Whether {@code record} claims to be an endorsement (it may still be malformed). */
  public static boolean isEndorsement(IpldNode record) {
    return type(record).filter(ENDORSE::equals).isPresent();
  }

  /**
   * The digest a checkpoint record states, or empty when it is not a checkpoint.
   *
   * @throws IllegalArgumentException when it claims to be one but is malformed
   */
  public static Optional<Digest> digest(IpldNode record) {
    if (!isCheckpoint(record)) {
      return Optional.empty();
    }
    IpldMap m = record.asMap();
    try {
      fields(m, List.of("type", "v", "count", "heads", "index"), List.of("state"));
      long count = m.get("count").orElseThrow().asLong();
      List<Cid> heads = new ArrayList<>();
      for (IpldNode h : m.get("heads").orElseThrow().asList()) {
        heads.add(h.asLink());
      }
      Cid index = m.get("index").orElseThrow().asLink();
      Optional<Cid> state = m.get("state").map(IpldNode::asLink);
      if (heads.size() > Entry.MAX_NEXT) {
        throw new IllegalArgumentException(
            "a checkpoint names at most " + Entry.MAX_NEXT + " heads");
      }
      return Optional.of(new Digest(count, heads, index, state));
    } catch (IllegalStateException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "checkpoint record has a mistyped field: " + e.getMessage(), e);
    }
  }

  /**
   * The checkpoint an endorsement record names, or empty when it is not an endorsement.
   *
   * @throws IllegalArgumentException when it claims to be one but is malformed
   */
  public static Optional<Cid> endorsed(IpldNode record) {
    if (!isEndorsement(record)) {
      return Optional.empty();
    }
    IpldMap m = record.asMap();
    try {
      fields(m, List.of("type", "v", "checkpoint"), List.of());
      return Optional.of(m.get("checkpoint").orElseThrow().asLink());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "endorsement record has a mistyped field: " + e.getMessage(), e);
    }
  }

  private static void fields(IpldMap m, List<String> required, List<String> optional) {
    String type = m.get("type").orElseThrow().asString();
    for (String f : required) {
      if (!m.containsKey(f)) {
        throw new IllegalArgumentException(type + " record lacks the field \"" + f + "\"");
      }
    }
    for (String k : m.keys()) {
      if (!required.contains(k) && !optional.contains(k)) {
        throw new IllegalArgumentException(type + " record has an unknown field \"" + k + "\"");
      }
    }
    if (m.get("v").orElseThrow().asLong() != VERSION) {
      throw new IllegalArgumentException(type + " record has an unsupported version");
    }
  }
}
