package dev.tally.cluster;

import java.util.Objects;

/**
 * How one storage audit of a peer ended.
 *
 * @param detail what was checked, or what went wrong
 */
public record AuditOutcome(Verdict verdict, String detail) {
  /** Passed; failed (logged against the peer); or inconclusive (not counted, e.g. unreachable). */
  public enum Verdict {
    PASSED,
    FAILED,
    INCONCLUSIVE
  }

  public AuditOutcome {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(detail, "detail");
  }

  public static AuditOutcome passed(String detail) {
    return new AuditOutcome(Verdict.PASSED, detail);
  }

  public static AuditOutcome failed(String detail) {
    return new AuditOutcome(Verdict.FAILED, detail);
  }

  public static AuditOutcome inconclusive(String detail) {
    return new AuditOutcome(Verdict.INCONCLUSIVE, detail);
  }
}
