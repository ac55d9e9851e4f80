package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This member's audits of the others: every {@link AuditSchedule#interval} it challenges {@link
 * AuditSchedule#perRound} random (peer, pin) pairs among the pins allocated to other peers that
 * reported them pinned, and logs each failure as an {@link AuditRecord} on the next tick (the
 * challenger completes on a network thread; appending blocks). A round starts only when the last
 * one has finished.
 */
final class AuditRounds {
  private static final System.Logger LOG = System.getLogger(AuditRounds.class.getName());

  private final Cluster cluster;
  private final Challenger challenger;
  private final AuditSchedule schedule;
  private final Random random;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<AuditRecord> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong passed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong inconclusive = new AtomicLong();
  private long lastRound = Long.MIN_VALUE;

  /**
   * Accused pairs this member audited itself and found fine, with when: not audited again for
   * {@link #REFUTED_ROUNDS} rounds, so a member that keeps logging false failures cannot take all
   * of the others' audits.
   */
  private final java.util.Map<Cluster.Target, Long> refuted =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final int REFUTED_ROUNDS = 10;

  AuditRounds(Cluster cluster, Challenger challenger, AuditSchedule schedule, Random random) {
    this.cluster = cluster;
    this.challenger = challenger;
    this.schedule = schedule;
    this.random = random;
  }

  /** On the cluster's tick: logs finished failures, then starts a round if one is due. */
  void tick(long now) {
    AuditRecord f;
    while ((f = failures.poll()) != null) {
      cluster.logAuditFailure(f);
    }
    if (inFlight.get() > 0
        || (lastRound != Long.MIN_VALUE && now - lastRound < schedule.interval().toMillis())) {
      return;
    }
    lastRound = now;
    long forget = now - REFUTED_ROUNDS * schedule.interval().toMillis();
    refuted.values().removeIf(at -> at < forget);
    for (Cluster.Target t :
        cluster.auditTargets(now, schedule.perRound(), random, refuted::containsKey)) {
      inFlight.incrementAndGet();
      challenger
          .challenge(t.peer(), cluster.id(), t.pin())
          .whenComplete(
              (outcome, error) -> {
                try {
                  record(t.peer(), t.pin(), outcome, error);
                  if (error == null
                      && outcome.verdict() == AuditOutcome.Verdict.PASSED
                      && cluster.pinset().accusedByOthers(t.peer(), t.pin())) {
                    refuted.put(t, now);
                  }
                } finally {
                  inFlight.decrementAndGet();
                }
              });
    }
  }

  private void record(PeerId peer, Cid pin, AuditOutcome outcome, Throwable error) {
    if (error != null || outcome.verdict() == AuditOutcome.Verdict.INCONCLUSIVE) {
      inconclusive.incrementAndGet();
      LOG.log(
          Level.DEBUG,
          "audit of {0} on {1} inconclusive: {2}",
          pin,
          peer,
          error != null ? error.getMessage() : outcome.detail());
    } else if (outcome.verdict() == AuditOutcome.Verdict.PASSED) {
      passed.incrementAndGet();
    } else {
      failed.incrementAndGet();
      LOG.log(Level.WARNING, "{0} failed the audit of {1}: {2}", peer, pin, outcome.detail());
      failures.add(new AuditRecord(peer, pin, outcome.detail(), outcome.evidence()));
    }
  }

  /** Audits this member ran so far, by outcome. */
  AuditStats stats() {
    return new AuditStats(passed.get(), failed.get(), inconclusive.get());
  }
}
