package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Set;

/**
 * What a join did.
 *
 * @param added entries verified and stored, in total order
 * @param rejected entries refused, each with its fault; none of them was stored
 * @param missing linked entries the source did not have
 * @param heads the log's heads after the join
 */
public record JoinResult(
    List<Cid> added, List<LogVerificationException> rejected, Set<Cid> missing, List<Cid> heads) {
  public JoinResult {
    added = List.copyOf(added);
    rejected = List.copyOf(rejected);
    missing = Set.copyOf(missing);
    heads = List.copyOf(heads);
  }
}
