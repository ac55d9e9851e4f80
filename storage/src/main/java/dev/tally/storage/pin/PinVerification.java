package dev.tally.storage.pin;

import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * The outcome of verifying one pin: {@code ok} when every block under it is present and hashes to
 * its CID, else the bad blocks with what is wrong with each.
 */
public record PinVerification(Cid cid, boolean ok, List<BadBlock> badBlocks) {
  public PinVerification {
    badBlocks = List.copyOf(badBlocks);
  }

  /** A block under a pin that is missing or corrupt. */
  public record BadBlock(Cid cid, String error) {}
}
