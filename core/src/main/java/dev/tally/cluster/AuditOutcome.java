package dev.tally.cluster;

import java.util.Objects;
import java.util.Optional;

/**
 * How one storage audit of a peer ended.
 *
 * @param detail what was checked, or what went wrong
 * @param evidence for a failure, the peer's signed answer when it gave one (ADR 026)
 */
public record AuditOutcome(Verdict verdict, String detail, Optional<AuditEvidence> evidence) {
  /** Passed; failed (logged against the peer); or inconclusive (not counted, e.g. unreachable). */
  public enum Verdict {
    PASSED,
    FAILED,
    INCONCLUSIVE
  }

  public AuditOutcome {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(evidence, "evidence");
  }

  public static AuditOutcome passed(String detail) {
    return new AuditOutcome(Verdict.PASSED, detail, Optional.empty());
  }

  public static AuditOutcome failed(String detail) {
    return new AuditOutcome(Verdict.FAILED, detail, Optional.empty());
  }

  /** A failure with the peer's signed answer as evidence. */
  public static AuditOutcome failed(String detail, AuditEvidence evidence) {
    return new AuditOutcome(Verdict.FAILED, detail, Optional.of(evidence));
  }

  public static AuditOutcome inconclusive(String detail) {
    return new AuditOutcome(Verdict.INCONCLUSIVE, detail, Optional.empty());
  }
}
