package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import java.util.concurrent.CompletionStage;

/**
 * Challenges a peer to prove it holds a pin: asks it for random blocks of the pin's DAG, with a
 * fresh nonce, and checks each answer. {@code dev.tally.cluster.audit.Auditor} does it over libp2p.
 * Never blocks the caller; the stage never completes exceptionally (a transport fault is an {@link
 * AuditOutcome.Verdict#INCONCLUSIVE} outcome).
 */
@FunctionalInterface
public interface Challenger {
  CompletionStage<AuditOutcome> challenge(PeerId peer, Cid cluster, Cid pin);
}
