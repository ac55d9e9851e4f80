package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * An application's state root at a checkpoint, recomputed by an endorser: its state folded from the
 * entries the checkpoint covers ({@link Log#coveredBy}), as a DAG whose root CID the checkpoint
 * carries (a cluster's pinset snapshot, a loan book). Called on the endorsing thread, outside the
 * log's lock; may read the log.
 */
@FunctionalInterface
public interface StateRoots {
  /** The state root at {@code checkpoint}, or empty when this application keeps none. */
  Optional<Cid> at(Log log, Checkpoint checkpoint);
}
