package dev.tally.log.proof;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.log.Admission;
import dev.tally.log.Entry;
import dev.tally.log.LogManifest;
import dev.tally.log.LogVerificationException;
import dev.tally.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, inside a proof, that an entry by a key the manifest does not name was written after an
 * admin admitted that key: a {@code WriterAdded} entry signed by an admin of the manifest (or,
 * under {@code admission: "writers"}, by a writer, itself named or admitted) must be reachable from
 * the entry through the proof's own entries (so it is in the entry's causal past, every hop fixed
 * by a hash), and the entry's signature must verify under the admitted key.
 */
final class Admissions {
  private Admissions() {}

  static void checkAdmitted(
      Entry e, LogManifest manifest, Collection<Entry> chain, Map<Cid, Entry> support) {
    if (!e.log().equals(manifest.cid())) {
      throw new ProofException("entry " + e.cid() + " belongs to log " + e.log());
    }
    Map<Cid, Entry> all = new HashMap<>(support);
    chain.forEach(c -> all.put(c.cid(), c));
    Deque<Cid> queue = new ArrayDeque<>();
    Set<Cid> seen = new HashSet<>();
    links(e, queue);
    while (!queue.isEmpty()) {
      Entry a = all.get(queue.poll());
      if (a == null || !seen.add(a.cid())) {
        continue;
      }
      Optional<Ed25519PublicKey> key = admits(a, e.author(), manifest, chain, support);
      if (key.isPresent()) {
        if (!e.signatureValidUnder(key.get())) {
          throw new ProofException(
              "entry " + e.cid() + ": the signature does not verify under the admitted key");
        }
        return;
      }
      links(a, queue);
    }
    throw new ProofException(
        "entry "
            + e.cid()
            + " is by a key the manifest does not name, and the proof holds no admin's admission"
            + " of it in the entry's past");
  }

  private static void links(Entry e, Deque<Cid> queue) {
    queue.addAll(e.next());
    queue.addAll(e.refs());
  }

  /**
   * The key {@code a} admits, when it is an admin's valid {@code WriterAdded} of {@code author}.
   */
  private static Optional<Ed25519PublicKey> admits(
      Entry a,
      byte[] author,
      LogManifest manifest,
      Collection<Entry> chain,
      Map<Cid, Entry> support) {
    Optional<Admission.Change> change;
    try {
      change = Admission.of(a.record());
    } catch (IllegalArgumentException ex) {
      return Optional.empty();
    }
    if (change.isEmpty()
        || !change.get().added()
        || !Arrays.equals(change.get().key().raw(), author)
        || !(manifest.isAdmin(a.author()) || manifest.writersAdmit())) {
      return Optional.empty();
    }
    if (manifest.writer(a.author()).isPresent()) {
      try {
        a.verifySignature(manifest);
      } catch (LogVerificationException ex) {
        throw new ProofException(
            "the admission " + a.cid() + " is invalid: " + ex.getMessage(), ex);
      }
    } else {
      // Where writers admit writers, the admitting writer may itself have been admitted.
      checkAdmitted(a, manifest, chain, support);
    }
    return Optional.of(change.get().key());
  }
}
