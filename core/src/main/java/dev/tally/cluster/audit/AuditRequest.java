package dev.tally.cluster.audit;

import dev.tally.multiformats.Cid;
import java.util.Objects;
import java.util.Optional;

/**
 * One challenge: prove you hold {@code block} of the pin {@code pin} in cluster {@code cluster}.
 * With a nonce the answer is SHA-256(nonce ‖ block); without, the block itself.
 *
 * @param nonce 32 fresh random bytes, or empty to ask for the block
 */
public record AuditRequest(Cid cluster, Cid pin, Cid block, Optional<byte[]> nonce) {
  public static final int NONCE_BYTES = 32;

  public AuditRequest {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(nonce, "nonce");
    if (nonce.isPresent() && nonce.get().length != NONCE_BYTES) {
      throw new AuditException("an audit nonce is " + NONCE_BYTES + " bytes");
    }
  }
}
