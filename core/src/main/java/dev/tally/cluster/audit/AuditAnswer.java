package dev.tally.cluster.audit;

import java.util.Objects;

/** A prover's answer to one {@link AuditRequest}. */
public sealed interface AuditAnswer {
  /** The block's bytes, to a request without a nonce. */
  record BlockBytes(byte[] bytes) implements AuditAnswer {
    public BlockBytes {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** SHA-256(nonce ‖ block), to a request with a nonce. */
  record Proof(byte[] digest) implements AuditAnswer {
    public static final int BYTES = 32;

    public Proof {
      if (digest.length != BYTES) {
        throw new AuditException("an audit proof is a " + BYTES + "-byte SHA-256 digest");
      }
    }
  }

  /** The prover will not or cannot answer. */
  record Refused(String reason) implements AuditAnswer {
    public static final int MAX_REASON = 256;

    public Refused {
      Objects.requireNonNull(reason, "reason");
      if (reason.length() > MAX_REASON) {
        reason = reason.substring(0, MAX_REASON);
      }
    }
  }
}
