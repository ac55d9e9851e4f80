package dev.tally.cluster.audit;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * A prover's answer to one {@link AuditRequest}. Every answer but a refusal is signed with the
 * prover's peer key over {@link dev.tally.cluster.AuditEvidence#statement} (ADR 026), naming the
 * entry that last admitted it ({@code member}), so a wrong answer is evidence against it that any
 * member can check, and no member can claim an answer the prover did not give.
 */
public sealed interface AuditAnswer {
  int SIG_BYTES = 64;

  /** The block's bytes, to a request without a nonce; signed over SHA-256 of the bytes. */
  record BlockBytes(byte[] bytes, Cid member, byte[] sig) implements AuditAnswer {
    public BlockBytes {
      Objects.requireNonNull(bytes, "bytes");
      Objects.requireNonNull(member, "member");
      checkSig(sig);
    }
  }

  /** SHA-256(nonce ‖ block), to a request with a nonce. */
  record Proof(byte[] digest, Cid member, byte[] sig) implements AuditAnswer {
    public static final int BYTES = 32;

    public Proof {
      if (digest.length != BYTES) {
        throw new AuditException("an audit proof is a " + BYTES + "-byte SHA-256 digest");
      }
      Objects.requireNonNull(member, "member");
      checkSig(sig);
    }
  }

  /** The prover lacks the block (or holds a copy that does not hash to it). */
  record Missing(Cid member, byte[] sig) implements AuditAnswer {
    public Missing {
      Objects.requireNonNull(member, "member");
      checkSig(sig);
    }
  }

  /** The prover will not answer (not a member, not a pin it claims, busy): unsigned. */
  record Refused(String reason) implements AuditAnswer {
    public static final int MAX_REASON = 256;

    public Refused {
      Objects.requireNonNull(reason, "reason");
      if (reason.length() > MAX_REASON) {
        reason = reason.substring(0, MAX_REASON);
      }
    }
  }

  private static void checkSig(byte[] sig) {
    if (sig.length != SIG_BYTES) {
      throw new AuditException("an audit answer's signature is " + SIG_BYTES + " bytes");
    }
  }
}
