package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint of a log as one replica sees it (ADR 018): the entry, what it states, who has signed
 * it so far and whether that makes it final.
 *
 * @param cid the checkpoint entry
 * @param author who proposed it
 * @param time its Lamport time
 * @param digest what it states about the entries in its causal past
 * @param signers the manifest signers (writers and admins) that signed it: the author if one of
 *     them, and the authors of its endorsements; sorted by key bytes
 * @param endorsements the endorsement entries counted, one per signer other than the author
 * @param quorum signers needed for it to be final (the manifest's)
 * @param status where it stands
 */
public record Checkpoint(
    Cid cid,
    Ed25519PublicKey author,
    long time,
    CheckpointRecords.Digest digest,
    List<Ed25519PublicKey> signers,
    List<Cid> endorsements,
    int quorum,
    Status status) {

  /** Where a checkpoint stands. */
  public enum Status {
    /** Fewer than a quorum of signers have signed it. */
    PROPOSED,
    /** A quorum signed it and it extends every earlier final checkpoint: its past is fixed. */
    FINAL,
    /**
     * A quorum signed it, but it neither extends nor is extended by an earlier final checkpoint:
     * only possible when signers signed two conflicting checkpoints. It fixes nothing.
     */
    CONFLICTING
  }

  public Checkpoint {
    signers = List.copyOf(signers);
    endorsements = List.copyOf(endorsements);
  }

  public boolean isFinal() {
    return status == Status.FINAL;
  }

  /** Entries the checkpoint covers (its causal past), the checkpoint itself not counted. */
  public long count() {
    return digest.count();
  }

  /** The heads of its causal past (the entry's {@code next}). */
  public List<Cid> heads() {
    return digest.heads();
  }

  /** The root of the {@link OrderIndex} of its causal past. */
  public Cid index() {
    return digest.index();
  }

  /** The application state root it carries, if any. */
  public Optional<Cid> stateRoot() {
    return digest.state();
  }
}
