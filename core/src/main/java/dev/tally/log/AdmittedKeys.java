package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every key ever admitted by an entry of one replica (the manifest's own keys are in the manifest).
 * Verification looks authors up here before checking a signature: a key nobody ever admitted cannot
 * be a writer, whatever the entry's causal past.
 */
final class AdmittedKeys {
  private final LogManifest manifest;
  private final Map<ByteBuffer, Ed25519PublicKey> keys = new ConcurrentHashMap<>();

  AdmittedKeys(LogManifest manifest) {
    this.manifest = manifest;
  }

  /**
   * Records the keys that {@code accepted}'s admission entries add (by admins, or by any writer
   * where the manifest lets writers admit: the log accepted them, so their authors could).
   */
  void note(List<Entry> accepted) {
    for (Entry e : accepted) {
      if (manifest.isAdmin(e.authorUnsafe()) || manifest.writersAdmit()) {
        Admission.of(e.record())
            .filter(Admission.Change::added)
            .ifPresent(c -> keys.putIfAbsent(ByteBuffer.wrap(c.key().raw()), c.key()));
      }
    }
  }

  /** The admitted key whose raw bytes are {@code raw}, or null. */
  Ed25519PublicKey get(ByteBuffer raw) {
    return keys.get(raw);
  }

  /** The keys of {@code at} plus the admins, as public keys, sorted by their bytes. */
  List<Ed25519PublicKey> list(Writers at) {
    Set<ByteBuffer> raw = new HashSet<>(at.keys());
    manifest.admins().forEach(a -> raw.add(ByteBuffer.wrap(a.raw())));
    List<Ed25519PublicKey> out = new ArrayList<>();
    for (ByteBuffer k : raw) {
      byte[] bytes = new byte[k.remaining()];
      k.duplicate().get(bytes);
      out.add(
          manifest
              .writer(bytes)
              .or(() -> Optional.ofNullable(keys.get(k)))
              .orElseGet(() -> Ed25519PublicKey.of(bytes)));
    }
    out.sort((a, b) -> Arrays.compareUnsigned(a.raw(), b.raw()));
    return out;
  }

  /** See {@link Log#admissionChain}: the CIDs from {@code n} down to its author's admission. */
  List<Cid> chainTo(Node n, Writers initial, LogGraph graph) {
    if (manifest.writer(n.author()).isPresent()) {
      return List.of();
    }
    // The state after the entry's parents is the one its author had to be a writer in.
    Writers before =
        Writers.merge(initial, n.next().stream().map(graph::require).map(Node::writers).toList());
    Cid admission =
        before
            .admittedBy(n.author())
            .orElseThrow(
                () ->
                    new LogException("no admission of the author of " + n.cid() + " in its past"));
    return graph.chainTo(List.of(n.cid()), admission);
  }
}
