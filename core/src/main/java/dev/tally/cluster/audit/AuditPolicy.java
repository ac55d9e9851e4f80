package dev.tally.cluster.audit;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * Whom a prover answers: members of a cluster it is in, about that cluster's pins. May block (it
 * reads the pinset); the responder calls it on a worker thread.
 */
@FunctionalInterface
public interface AuditPolicy {
  /** Why {@code requester} may not audit {@code pin} of {@code cluster}; empty when it may. */
  Optional<String> refusal(PeerId requester, Cid cluster, Cid pin);
}
