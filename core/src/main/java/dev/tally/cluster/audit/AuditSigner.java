package dev.tally.cluster.audit;

import dev.tally.cluster.AuditEvidence;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Cid;
import java.util.function.Function;

/**
 * Signs this node's audit answers with its peer key (ADR 026), naming the entry that last admitted
 * it to the cluster asked about, as {@code admittedBy} says (a member's pinset knows it).
 */
public final class AuditSigner {
  private final Ed25519PrivateKey key;
  private final Function<Cid, Cid> admittedBy;

  public AuditSigner(Ed25519PrivateKey key, Function<Cid, Cid> admittedBy) {
    this.key = key;
    this.admittedBy = admittedBy;
  }

  AuditAnswer block(AuditRequest r, byte[] bytes) {
    Cid member = admittedBy.apply(r.cluster());
    byte[] digest = AuditCodec.sha256(bytes);
    return new AuditAnswer.BlockBytes(bytes, member, sign(r, AuditEvidence.BLOCK, digest, member));
  }

  AuditAnswer proof(AuditRequest r, byte[] digest) {
    Cid member = admittedBy.apply(r.cluster());
    return new AuditAnswer.Proof(digest, member, sign(r, AuditEvidence.PROOF, digest, member));
  }

  AuditAnswer missing(AuditRequest r) {
    Cid member = admittedBy.apply(r.cluster());
    return new AuditAnswer.Missing(member, sign(r, AuditEvidence.MISSING, new byte[0], member));
  }

  private byte[] sign(AuditRequest r, String answer, byte[] digest, Cid member) {
    return key.sign(
        AuditEvidence.statement(
            r.cluster(),
            r.pin(),
            r.block(),
            r.nonce().orElse(new byte[0]),
            answer,
            digest,
            member));
  }
}
