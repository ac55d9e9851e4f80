package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the service's pins are carried out: this node's own pins ({@link LocalBackend}) or the
 * cluster's replicated pinset ({@link ClusterBackend}). The service tells a backend the whole set
 * of CIDs its requests want; the backend makes its pins match and reports how far each CID is. Only
 * the service's thread calls these; none of them waits for a fetch.
 */
interface PinBackend {
  /**
   * A CID the service wants held, with the name of its oldest request and the largest replication
   * factors its requests ask for; {@code pending} when a request for it is not pinned yet (only
   * those need their progress looked up).
   */
  record Want(Cid cid, String name, int min, int max, boolean pending) {}

  /** How far a backend is with one wanted CID, and why in words ({@code status_details}). */
  record Progress(PinRequest.Status status, String details) {}

  /**
   * Starts holding every wanted CID it does not hold yet, releases the pins the service made that
   * are no longer wanted, and reports each wanted CID's progress.
   */
  Map<Cid, Progress> reconcile(Map<Cid, Want> wanted);

  /**
   * Releases the service's pins here except {@code keep}, starting nothing (the other backend is
   * active; this one keeps what it holds until the active one has it).
   */
  void retain(Set<Cid> keep);

  /** Forgets failures of {@code cids}, so the next reconcile tries them again. */
  void retry(Collection<Cid> cids);

  /** Multiaddrs (with {@code /p2p/}) of peers that receive pinned data, at most 20. */
  List<String> delegates();
}
