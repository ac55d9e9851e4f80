package dev.tally.cluster;

/** The audits this member ran since it started, by outcome. */
public record AuditStats(long passed, long failed, long inconclusive) {
  public static final AuditStats NONE = new AuditStats(0, 0, 0);
}
