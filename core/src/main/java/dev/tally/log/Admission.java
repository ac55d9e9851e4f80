package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.KeyFormatException;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.util.Optional;

/**
 * The records that change who may write to a log: {@code {kind: "WriterAdded" | "WriterRemoved",
 * schema: 1, body: {key: <raw 32-byte Ed25519 key>}}}, valid only when signed by an admin named in
 * the manifest. The log reads nothing else in a record; every other kind is opaque to it.
 *
 * <p>An entry is valid when its author is a writer in the entry's causal past: the manifest's
 * writers and admins, plus the keys added and minus the keys removed by the admission entries the
 * entry (transitively) links to, applied in the log's total order. See ADR 008.
 */
public final class Admission {
  public static final String WRITER_ADDED = "WriterAdded";
  public static final String WRITER_REMOVED = "WriterRemoved";
  public static final long SCHEMA = 1;

  /**
   * A change of the writer set.
   *
   * @param added true for {@code WriterAdded}, false for {@code WriterRemoved}
   * @param key the writer added or removed
   */
  public record Change(boolean added, Ed25519PublicKey key) {}

  private Admission() {}

  /** The record admitting {@code key} as a writer. */
  public static IpldNode writerAdded(Ed25519PublicKey key) {
    return record(WRITER_ADDED, key);
  }

  /** The record revoking {@code key}'s right to write. */
  public static IpldNode writerRemoved(Ed25519PublicKey key) {
    return record(WRITER_REMOVED, key);
  }

  private static IpldNode record(String kind, Ed25519PublicKey key) {
    return IpldNode.map()
        .put("kind", kind)
        .put("schema", SCHEMA)
        .put("body", IpldNode.map().put("key", IpldNode.of(key.raw())).build())
        .build();
  }

  /**
   * The change {@code record} makes, or empty when it is not an admission record.
   *
   * @throws IllegalArgumentException when it claims to be one but is malformed
   */
  public static Optional<Change> of(IpldNode record) {
    if (!(record instanceof IpldMap m)) {
      return Optional.empty();
    }
    Optional<IpldNode> kind = m.get("kind");
    if (kind.isEmpty() || kind.get().kind() != IpldNode.Kind.STRING) {
      return Optional.empty();
    }
    String k = kind.get().asString();
    boolean added = WRITER_ADDED.equals(k);
    if (!added && !WRITER_REMOVED.equals(k)) {
      return Optional.empty();
    }
    try {
      IpldMap body = m.get("body").orElseThrow(() -> missing(k, "body")).asMap();
      IpldNode key = body.get("key").orElseThrow(() -> missing(k, "body.key"));
      return Optional.of(new Change(added, Ed25519PublicKey.of(key.asBytes())));
    } catch (IllegalStateException | KeyFormatException e) {
      throw new IllegalArgumentException(
          k + " record needs body.key, a raw 32-byte Ed25519 key: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException missing(String kind, String field) {
    return new IllegalArgumentException(kind + " record lacks " + field);
  }
}
