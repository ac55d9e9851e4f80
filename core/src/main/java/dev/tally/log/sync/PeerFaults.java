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
