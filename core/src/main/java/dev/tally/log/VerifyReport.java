package dev.tally.log;

import dev.tally.blockstore.Blockstore;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of checking a whole replica from its heads.
 *
 * @param count entries that passed every check
 * @param heads the heads recomputed from the valid entries
 * @param rejected every faulty entry with its fault
 * @param missing linked entries that are not in the store
 */
public record VerifyReport(
    long count, List<Cid> heads, List<LogVerificationException> rejected, Set<Cid> missing) {
  public VerifyReport {
    heads = List.copyOf(heads);
    rejected = List.copyOf(rejected);
    missing = Set.copyOf(missing);
  }

  /** See {@link Log#verify(LogManifest, Blockstore, java.util.Collection)}. */
  static VerifyReport check(
      LogManifest manifest, Blockstore store, java.util.Collection<Cid> from) {
    Ingest.Result r =
        new Ingest(manifest, Writers.initial(manifest), cid -> null, null, true)
            .run(from, store::get);
    Set<Cid> linked = new java.util.HashSet<>();
    for (Entry e : r.accepted()) {
      linked.addAll(e.next());
    }
    List<Cid> computed =
        r.accepted().stream().map(Entry::cid).filter(c -> !linked.contains(c)).sorted().toList();
    return new VerifyReport(r.accepted().size(), computed, r.rejected(), r.missing());
  }

  /** Whether the replica is whole and every entry is valid. */
  public boolean ok() {
    return rejected.isEmpty() && missing.isEmpty();
  }

  /** Rejects per kind. */
  public Map<Kind, Long> rejectsByKind() {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (LogVerificationException e : rejected) {
      out.merge(e.kind(), 1L, Long::sum);
    }
    return out;
  }
}
