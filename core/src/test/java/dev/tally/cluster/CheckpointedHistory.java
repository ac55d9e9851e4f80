package dev.tally.cluster;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.Raw;
import dev.tally.log.Checkpoint;
import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;

/**
 * A cluster history for tests of members that start from a checkpoint (ADR 027, ADR 032): pins,
 * unpins, another member's states and heartbeats, then a final checkpoint with the pinset snapshot.
 */
public final class CheckpointedHistory {
  private CheckpointedHistory() {}

  /** The {@code i}-th pinned CID (a raw block of "pin i"). */
  public static Cid cid(int i) {
    return Block.create(Raw.CODE, ("pin " + i).getBytes(StandardCharsets.UTF_8)).cid();
  }

  /**
   * On the creator's cluster {@code a}: admits {@code bob}, pins {@code pins} CIDs (every third
   * unpinned again, bob reporting a state and a heartbeat every tenth), then checkpoints; returns
   * the final checkpoint.
   */
  public static Checkpoint pinsThenCheckpoint(Cluster a, Ed25519PrivateKey bob, int pins) {
    a.admit(PeerId.fromPublicKey(bob.publicKey()));
    for (int i = 0; i < pins; i++) {
      a.pin(PinRecord.of(cid(i), "f" + i, 1, 2));
      if (i % 3 == 0) {
        a.unpin(cid(i));
      }
      if (i % 10 == 0) {
        a.log().append(new StateRecord(cid(i), PinState.PINNED, "").toNode(), bob);
        a.log().append(new HeartbeatRecord(1_000 + i, 1L << 30).toNode(), bob);
      }
    }
    a.checkpoint();
    return a.log().checkpoints().latestFinal().orElseThrow();
  }
}
