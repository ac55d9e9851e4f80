package dev.tally.log;

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
