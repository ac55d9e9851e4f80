package dev.tally.log.sync;

import dev.tally.crypto.PeerId;
import dev.tally.log.LogVerificationException;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The invalid entries peers sent: each refusal is logged with the peer that sent it (one line per
 * entry for the first {@link #LOGGED_PER_GROUP} of a verified group, then one summary line, so a
 * hostile peer cannot flood the log), and a peer that sent more than {@code maxRejectsPerPeer} is
 * ignored for {@code penalty}. Thread-safe: refusals are noted on the workers that verify.
 */
final class PeerFaults {
  static final int LOGGED_PER_GROUP = 16;
  private static final System.Logger LOG = System.getLogger(LogSync.class.getName());

  private final SyncOptions options;
  private final Map<PeerId, Long> since = new ConcurrentHashMap<>();
  private final Map<PeerId, Long> ignoredUntil = new ConcurrentHashMap<>();

  PeerFaults(SyncOptions options) {
    this.options = options;
  }

  /** Notes {@code refused}, entries of {@code log} from {@code peer} that failed verification. */
  void refused(Cid log, PeerId peer, List<LogVerificationException> refused) {
    int n = refused.size();
    for (LogVerificationException e : refused.subList(0, Math.min(n, LOGGED_PER_GROUP))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "log {0}: refused an entry from peer {1}: {2}",
          log,
          peer,
          e.getMessage());
    }
    if (n > LOGGED_PER_GROUP) {
      LOG.log(
          System.Logger.Level.WARNING,
          "log {0}: refused {1} more entries from peer {2} in the same group",
          log,
          n - LOGGED_PER_GROUP,
          peer);
    }
    long total = since.merge(peer, (long) n, Long::sum);
    if (total > options.maxRejectsPerPeer()
        && ignoredUntil.putIfAbsent(peer, System.nanoTime() + options.penalty().toNanos())
            == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "log sync: ignoring peer {0} for {1} s after {2} invalid entries",
          peer,
          options.penalty().toSeconds(),
          total);
    }
  }

  /**
   * Notes that {@code peer} offered a checkpoint bundle of {@code log} that failed its checks: an
   * honest peer only offers what a quorum signed, so the peer is ignored for {@code penalty} at
   * once, as one that sent more than {@code maxRejectsPerPeer} invalid entries.
   */
  void forgedCheckpoint(Cid log, PeerId peer, String why) {
    LOG.log(
        System.Logger.Level.WARNING,
        "log {0}: refused a checkpoint bundle from peer {1}, ignoring it for {2} s: {3}",
        log,
        peer,
        options.penalty().toSeconds(),
        why);
    since.merge(peer, options.maxRejectsPerPeer() + 1L, Long::sum);
    ignoredUntil.putIfAbsent(peer, System.nanoTime() + options.penalty().toNanos());
  }

  /** Whether {@code peer}'s announcements are ignored now; its count restarts once it is not. */
  boolean ignored(PeerId peer) {
    Long until = ignoredUntil.get(peer);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until > 0) {
      ignoredUntil.remove(peer);
      since.remove(peer);
      return false;
    }
    return true;
  }
}
