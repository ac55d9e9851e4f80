package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Set;

/**
 * A checkpoint shown final by a {@link CheckpointBundle}: its entry and a quorum of the manifest's
 * signers' endorsements checked, and the entries it covers listed from its order index. A new
 * replica answers from it at once (how many entries the log held, their order, the application's
 * state root) and {@link Log#vouch vouches} with it for the history it then fetches. Only {@link
 * CheckpointBundle#read} makes one.
 */
public final class FinalCheckpoint {
  private final LogManifest manifest;
  private final Checkpoint checkpoint;
  private final List<Cid> covered;
  private final Set<Cid> coveredSet;

  FinalCheckpoint(LogManifest manifest, Checkpoint checkpoint, List<Cid> covered) {
    this.manifest = manifest;
    this.checkpoint = checkpoint;
    this.covered = List.copyOf(covered);
    this.coveredSet = Set.copyOf(covered);
  }

  public LogManifest manifest() {
    return manifest;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The covered entries' CIDs in Lamport order (time, author, CID). */
  public List<Cid> covered() {
    return covered;
  }

  /** Whether {@code cid} is one of the covered entries. */
  public boolean covers(Cid cid) {
    return coveredSet.contains(cid);
  }
}
