package dev.tally.cluster.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the audit protocol, on both sides.
 *
 * @param maxRequestBytes largest request frame a prover reads
 * @param maxAnswerBytes largest answer frame a challenger reads (a block plus its envelope)
 * @param maxRequestsPerStream requests a prover answers on one stream (bounds a walk's depth too)
 * @param answerTimeout how long a challenger waits for each answer, and a prover for each request
 * @param maxServing audit streams a prover serves at once; more are reset
 */
public record AuditOptions(
    int maxRequestBytes,
    int maxAnswerBytes,
    int maxRequestsPerStream,
    Duration answerTimeout,
    int maxServing) {
  public AuditOptions {
    Objects.requireNonNull(answerTimeout, "answerTimeout");
    if (maxRequestBytes < 256) {
      throw new IllegalArgumentException("audit requests need at least 256 bytes");
    }
    if (maxAnswerBytes < 1024) {
      throw new IllegalArgumentException("audit answers need at least 1024 bytes");
    }
    if (maxRequestsPerStream < 1 || maxServing < 1) {
      throw new IllegalArgumentException("audit request and stream limits must be >= 1");
    }
    if (answerTimeout.isNegative() || answerTimeout.isZero()) {
      throw new IllegalArgumentException("the audit answer timeout must be > 0");
    }
  }

  /** 1 KiB requests, 4 MiB + 64 B answers (a 4 MiB block), 64 requests, 10 s, 16 streams. */
  public static AuditOptions defaults() {
    return new AuditOptions(1024, 4 * 1024 * 1024 + 64, 64, Duration.ofSeconds(10), 16);
  }

  public AuditOptions withAnswerTimeout(Duration timeout) {
    return new AuditOptions(
        maxRequestBytes, maxAnswerBytes, maxRequestsPerStream, timeout, maxServing);
  }
}
