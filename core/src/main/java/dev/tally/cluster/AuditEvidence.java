package dev.tally.cluster;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PublicKey;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A prover's signed audit answer, as a {@link AuditRecord} carries it (ADR 026): the prover signed
 * with its peer key the statement {@code {type: "cluster/audit-answer", cluster, pin, block, nonce,
 * answer, digest, member}}, where {@code answer} is {@code "block"} (digest = SHA-256 of the bytes
 * it sent), {@code "proof"} (digest = SHA-256(nonce ‖ block)) or {@code "missing"} (no digest), and
 * {@code member} is the entry that last admitted the prover (the cluster id for a founder), so the
 * answer cannot be replayed against it after it is admitted again.
 *
 * <p>Some answers prove a failure to anyone, from the record alone ({@link #provesFailure}): the
 * prover signed bytes that do not hash to the block it was asked for (an honest prover checks them
 * before it answers), or signed that it lacks the pin's root. Any other failure (a wrong proof, an
 * answer missing or late) must be confirmed by other members' own audits before it counts.
 *
 * @param nonce the challenge nonce; empty when the block itself was asked for
 * @param digest empty for a {@code missing} answer
 */
public record AuditEvidence(
    Cid block, byte[] nonce, String answer, byte[] digest, Cid member, byte[] sig) {
  public static final String STATEMENT = "cluster/audit-answer";
  public static final String BLOCK = "block";
  public static final String PROOF = "proof";
  public static final String MISSING = "missing";
  private static final Set<String> ANSWERS = Set.of(BLOCK, PROOF, MISSING);

  public AuditEvidence {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(member, "member");
    if (!ANSWERS.contains(answer)) {
      throw new ClusterException("an audit answer is block, proof or missing, not " + answer);
    }
    if (nonce.length != 0 && nonce.length != 32) {
      throw new ClusterException("an audit nonce is 32 bytes");
    }
    if (digest.length != (answer.equals(MISSING) ? 0 : 32)) {
      throw new ClusterException("a " + answer + " answer's digest has the wrong length");
    }
    if (sig.length != 64) {
      throw new ClusterException("an audit answer's signature is 64 bytes");
    }
    nonce = nonce.clone();
    digest = digest.clone();
    sig = sig.clone();
  }

  /** The bytes a prover signs. */
  public static byte[] statement(
      Cid cluster, Cid pin, Cid block, byte[] nonce, String answer, byte[] digest, Cid member) {
    return DagCbor.encode(
        IpldNode.map()
            .put("type", STATEMENT)
            .put("cluster", cluster)
            .put("pin", pin)
            .put("block", block)
            .put("nonce", nonce)
            .put("answer", answer)
            .put("digest", digest)
            .put("member", member)
            .build());
  }

  /** Whether {@code prover}'s key signed this answer about {@code pin} of {@code cluster}. */
  public boolean signedBy(PeerId prover, Cid cluster, Cid pin) {
    Optional<PublicKey> key = prover.publicKey();
    if (key.isEmpty() || !(key.get() instanceof Ed25519PublicKey ed)) {
      return false;
    }
    return ed.verify(statement(cluster, pin, block, nonce, answer, digest, member), sig);
  }

  /**
   * Whether this answer alone proves that {@code prover} failed the audit of {@code pin}, for a
   * prover whose latest admission is {@code admittedBy}: it signed it, after that admission, and it
   * either signed bytes that are not the block (a SHA-256 CID whose digest differs) or signed that
   * it lacks the pin's root.
   */
  public boolean provesFailure(PeerId prover, Cid cluster, Cid pin, Cid admittedBy) {
    if (!member.equals(admittedBy) || !signedBy(prover, cluster, pin)) {
      return false;
    }
    return switch (answer) {
      case BLOCK ->
          block.multihash().code() == Multicodec.SHA2_256
              && !Arrays.equals(digest, block.multihash().digest());
      case MISSING -> block.equals(pin);
      default -> false;
    };
  }

  IpldMap toNode() {
    return IpldNode.map()
        .put("block", block)
        .put("nonce", nonce)
        .put("answer", answer)
        .put("digest", digest)
        .put("member", member)
        .put("sig", sig)
        .build();
  }

  static AuditEvidence fromNode(IpldNode node) {
    IpldMap m = node.asMap();
    Set<String> fields = Set.of("block", "nonce", "answer", "digest", "member", "sig");
    if (m.size() != fields.size() || !fields.containsAll(m.keys())) {
      throw new ClusterException("audit evidence holds exactly " + fields + ", got " + m.keys());
    }
    return new AuditEvidence(
        m.get("block").orElseThrow().asLink(),
        m.get("nonce").orElseThrow().asBytes(),
        m.get("answer").orElseThrow().asString(),
        m.get("digest").orElseThrow().asBytes(),
        m.get("member").orElseThrow().asLink(),
        m.get("sig").orElseThrow().asBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditEvidence e
        && e.block.equals(block)
        && Arrays.equals(e.nonce, nonce)
        && e.answer.equals(answer)
        && Arrays.equals(e.digest, digest)
        && e.member.equals(member)
        && Arrays.equals(e.sig, sig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(block, answer, member, Arrays.hashCode(sig));
  }

  @Override
  public String toString() {
    return answer + " answer for " + block + " (signed, admitted by " + member + ")";
  }
}
