package dev.tally.exchange.dag;

import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * How a DAG response ended.
 *
 * @param blocks verified blocks received
 * @param bytes their bytes
 * @param missing CIDs the received blocks link to (within the request's depth, outside its stop
 *     set) that did not come: the sender lacked them or hit a limit; fetch them elsewhere
 */
public record DagSummary(long blocks, long bytes, List<Cid> missing) {
  public DagSummary {
    missing = List.copyOf(missing);
  }

  /** Whether everything the request covers arrived. */
  public boolean complete() {
    return missing.isEmpty();
  }
}
