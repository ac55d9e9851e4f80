package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.KeyFormatException;
import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A log's manifest, the DAG-CBOR block whose CID names the log: {@code {type: "tally/log", v: 1,
 * name, schema, writers: [raw Ed25519 keys], created, admins?, admission?}}. Writers and admins may
 * append; admins (the admission rule, optional) also admit and remove writers by signed entries
 * ({@link Admission}). With {@code admission: "writers"} every current writer may admit and remove
 * writers too (a cluster, where any member admits the next). Keys are held sorted by their bytes so
 * that one set of writers has one manifest encoding. {@code quorum} (optional) is how many of the
 * signers (writers and admins named here) must sign a checkpoint for it to be final; by default a
 * majority (ADR 018).
 */
public final class LogManifest {
  public static final String TYPE = "tally/log";
  public static final long VERSION = 1;
  public static final int MAX_NAME_LENGTH = 256;
  public static final int MAX_KEYS = 1024;

  /** Manifests are small; anything bigger is not one of ours. */
  public static final int MAX_SIZE = 64 * 1024;

  private static final Set<String> REQUIRED = Set.of("type", "v", "name", "schema", "writers");
  private static final Set<String> ALLOWED =
      Set.of("type", "v", "name", "schema", "writers", "created", "admins", "admission", "quorum");

  /** The {@code admission} value by which every writer, not only admins, admits writers. */
  public static final String WRITERS_ADMIT = "writers";

  private static final Comparator<Ed25519PublicKey> BY_BYTES =
      (a, b) -> Arrays.compareUnsigned(a.raw(), b.raw());

  private final String name;
  private final long schema;
  private final List<Ed25519PublicKey> writers;
  private final long created;
  private final List<Ed25519PublicKey> admins;
  private final boolean writersAdmit;
  private final OptionalInt quorumField;
  private final int signerCount;
  private final Map<ByteBuffer, Ed25519PublicKey> writersByBytes;
  private final Set<ByteBuffer> adminBytes;
  private final Block block;

  private LogManifest(
      String name,
      long schema,
      List<Ed25519PublicKey> writers,
      long created,
      List<Ed25519PublicKey> admins,
      boolean writersAdmit,
      OptionalInt quorum,
      Block block) {
    this.name = name;
    this.writersAdmit = writersAdmit;
    this.quorumField = quorum;
    this.schema = schema;
    this.writers = writers;
    this.created = created;
    this.admins = admins;
    this.writersByBytes = new HashMap<>();
    for (Ed25519PublicKey w : writers) {
      writersByBytes.put(ByteBuffer.wrap(w.raw()), w);
    }
    this.adminBytes = new HashSet<>();
    for (Ed25519PublicKey a : admins) {
      writersByBytes.put(ByteBuffer.wrap(a.raw()), a);
      adminBytes.add(ByteBuffer.wrap(a.raw()));
    }
    this.signerCount = writersByBytes.size();
    this.block = block;
  }

  /**
   * A new manifest.
   *
   * @param created creation time, milliseconds since the epoch (informational)
   */
  public static LogManifest create(
      String name,
      long schema,
      Collection<Ed25519PublicKey> writers,
      long created,
      Collection<Ed25519PublicKey> admins) {
    return create(name, schema, writers, created, admins, false);
  }

  /**
   * A new manifest.
   *
   * @param created creation time, milliseconds since the epoch (informational)
   * @param writersAdmit whether every writer, not only the admins, may admit and remove writers
   */
  public static LogManifest create(
      String name,
      long schema,
      Collection<Ed25519PublicKey> writers,
      long created,
      Collection<Ed25519PublicKey> admins,
      boolean writersAdmit) {
    return create(name, schema, writers, created, admins, writersAdmit, OptionalInt.empty());
  }

  /**
   * A new manifest whose checkpoints are final once {@code quorum} of its signers (writers and
   * admins) have signed them; empty for the default, a majority.
   */
  public static LogManifest create(
      String name,
      long schema,
      Collection<Ed25519PublicKey> writers,
      long created,
      Collection<Ed25519PublicKey> admins,
      OptionalInt quorum) {
    return create(name, schema, writers, created, admins, false, quorum);
  }

  /**
   * A new manifest with every option.
   *
   * @param created creation time, milliseconds since the epoch (informational)
   * @param writersAdmit whether every writer, not only the admins, may admit and remove writers
   * @param quorum signers needed for a checkpoint to be final; empty for a majority
   * @throws LogException when the quorum is not a majority of the signers or exceeds their number:
   *     two conflicting checkpoints could both become final, or none ever could
   */
  public static LogManifest create(
      String name,
      long schema,
      Collection<Ed25519PublicKey> writers,
      long created,
      Collection<Ed25519PublicKey> admins,
      boolean writersAdmit,
      OptionalInt quorum) {
    checkName(name);
    if (schema < 1) {
      throw new LogException("log schema version must be >= 1, got " + schema);
    }
    if (created < 0) {
      throw new LogException("log creation time must be >= 0 ms, got " + created);
    }
    List<Ed25519PublicKey> w = sortedDistinct(writers, "writers");
    if (w.isEmpty()) {
      throw new LogException("a log needs at least one writer");
    }
    List<Ed25519PublicKey> a = sortedDistinct(admins, "admins");
    int signers = (int) java.util.stream.Stream.concat(w.stream(), a.stream()).distinct().count();
    if (quorum.isPresent() && (quorum.getAsInt() <= signers / 2 || quorum.getAsInt() > signers)) {
      throw new LogException(
          "checkpoint quorum "
              + quorum.getAsInt()
              + " must be a majority of the "
              + signers
              + " signers (writers and admins), "
              + (signers / 2 + 1)
              + ".."
              + signers
              + ": with fewer, two conflicting checkpoints could both become final");
    }
    IpldMap.Builder b =
        IpldNode.map()
            .put("type", TYPE)
            .put("v", VERSION)
            .put("name", name)
            .put("schema", schema)
            .put("writers", keyList(w))
            .put("created", created);
    if (!a.isEmpty()) {
      b.put("admins", keyList(a));
    }
    if (writersAdmit) {
      b.put("admission", WRITERS_ADMIT);
    }
    if (quorum.isPresent()) {
      b.put("quorum", (long) quorum.getAsInt());
    }
    Block block = Block.create(DagCbor.CODE, DagCbor.encode(b.build()));
    return new LogManifest(name, schema, w, created, a, writersAdmit, quorum, block);
  }

  /** The manifest in {@code block}, which must be canonical DAG-CBOR hashing to its CID. */
  public static LogManifest fromBlock(Block block) {
    Cid cid = block.cid();
    if (cid.codec() != DagCbor.CODE) {
      throw new LogException("log id " + cid + " is not a dag-cbor CID; a manifest is dag-cbor");
    }
    byte[] bytes = block.bytes();
    if (bytes.length > MAX_SIZE) {
      throw new LogException("manifest " + cid + " is over " + MAX_SIZE + " bytes");
    }
    if (!cid.multihash().matches(bytes)) {
      throw new LogException("manifest bytes do not hash to the log id " + cid);
    }
    IpldMap m;
    try {
      m = DagCbor.decode(bytes).asMap();
    } catch (CodecException | IllegalStateException e) {
      throw new LogException(
          "manifest " + cid + " is not a canonical DAG-CBOR map: " + e.getMessage(), e);
    }
    for (String key : m.keys()) {
      if (!ALLOWED.contains(key)) {
        throw new LogException("manifest " + cid + " has an unknown field \"" + key + "\"");
      }
    }
    for (String key : REQUIRED) {
      if (!m.containsKey(key)) {
        throw new LogException("manifest " + cid + " lacks the field \"" + key + "\"");
      }
    }
    try {
      if (!TYPE.equals(m.get("type").orElseThrow().asString())
          || m.get("v").orElseThrow().asLong() != VERSION) {
        throw new LogException("block " + cid + " is not a version-1 tally log manifest");
      }
      String name = m.get("name").orElseThrow().asString();
      long schema = m.get("schema").orElseThrow().asLong();
      long created = m.get("created").map(IpldNode::asLong).orElse(0L);
      List<Ed25519PublicKey> writers = keys(m.get("writers").orElseThrow());
      List<Ed25519PublicKey> admins = m.get("admins").map(LogManifest::keys).orElse(List.of());
      boolean writersAdmit = false;
      if (m.containsKey("admission")) {
        String admission = m.get("admission").orElseThrow().asString();
        if (!WRITERS_ADMIT.equals(admission)) {
          throw new LogException(
              "manifest "
                  + cid
                  + " has admission \""
                  + admission
                  + "\"; the only value is \""
                  + WRITERS_ADMIT
                  + "\" (absent: admins only)");
        }
        writersAdmit = true;
      }
      OptionalInt quorum = OptionalInt.empty();
      if (m.containsKey("quorum")) {
        long q = m.get("quorum").orElseThrow().asLong();
        if (q < 1 || q > MAX_KEYS * 2) {
          throw new LogException("manifest " + cid + " has an out-of-range quorum " + q);
        }
        quorum = OptionalInt.of((int) q);
      }
      LogManifest parsed = create(name, schema, writers, created, admins, writersAdmit, quorum);
      if (!Arrays.equals(parsed.block.bytes(), bytes)) {
        // Unsorted keys, a duplicate writer or an empty admins list: another encoding of the same
        // meaning would name another log, so only the one we would write is accepted.
        throw new LogException(
            "manifest " + cid + " is not in canonical form (sorted, distinct keys)");
      }
      return new LogManifest(
          name,
          schema,
          parsed.writers,
          created,
          parsed.admins,
          writersAdmit,
          quorum,
          Block.ofOwned(cid, bytes));
    } catch (IllegalStateException | ArithmeticException | KeyFormatException e) {
      throw new LogException("manifest " + cid + " has a mistyped field: " + e.getMessage(), e);
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new LogException("log name must be 1.." + MAX_NAME_LENGTH + " characters");
    }
  }

  private static List<Ed25519PublicKey> sortedDistinct(
      Collection<Ed25519PublicKey> keys, String what) {
    List<Ed25519PublicKey> sorted = keys.stream().distinct().sorted(BY_BYTES).toList();
    if (sorted.size() > MAX_KEYS) {
      throw new LogException("a manifest holds at most " + MAX_KEYS + " " + what);
    }
    return sorted;
  }

  private static IpldNode keyList(List<Ed25519PublicKey> keys) {
    return IpldNode.list(keys.stream().map(k -> (IpldNode) IpldNode.of(k.raw())).toList());
  }

  private static List<Ed25519PublicKey> keys(IpldNode list) {
    List<IpldNode> items = list.asList();
    if (items.size() > MAX_KEYS) {
      throw new LogException("a manifest holds at most " + MAX_KEYS + " keys per list");
    }
    List<Ed25519PublicKey> out = new ArrayList<>(items.size());
    for (IpldNode item : items) {
      out.add(Ed25519PublicKey.of(item.asBytes()));
    }
    return out;
  }

  /** The log id. */
  public Cid cid() {
    return block.cid();
  }

  public Block block() {
    return block;
  }

  public String name() {
    return name;
  }

  public long schema() {
    return schema;
  }

  /** Writers, sorted by key bytes. */
  public List<Ed25519PublicKey> writers() {
    return writers;
  }

  public long created() {
    return created;
  }

  /** Keys that may admit writers; empty when the writer set is fixed. */
  public List<Ed25519PublicKey> admins() {
    return admins;
  }

  /**
   * The keys whose signatures count towards a checkpoint's quorum: the writers and admins named
   * here, sorted by their bytes. Keys admitted later by entries do not count: a new replica must be
   * able to check a checkpoint's quorum from the manifest alone, before it holds any history.
   */
  public List<Ed25519PublicKey> signers() {
    return java.util.stream.Stream.concat(writers.stream(), admins.stream())
        .distinct()
        .sorted(BY_BYTES)
        .toList();
  }

  /** Whether {@code raw} is one of the {@link #signers()}. */
  public boolean isSigner(byte[] raw) {
    return writersByBytes.containsKey(ByteBuffer.wrap(raw));
  }

  /** Signatures a checkpoint needs to be final: the manifest's {@code quorum}, else a majority. */
  public int quorum() {
    return quorumField.orElse(signerCount / 2 + 1);
  }

  /** The {@code quorum} field as written in the manifest; empty when it is the default. */
  public OptionalInt quorumField() {
    return quorumField;
  }

  /**
   * The writer or admin whose raw key is {@code raw}, if it is one: the keys that may write from
   * the log's first entry on (admins always may; writers may until an admin removes them).
   */
  public Optional<Ed25519PublicKey> writer(byte[] raw) {
    return Optional.ofNullable(writersByBytes.get(ByteBuffer.wrap(raw)));
  }

  /**
   * Whether every writer may admit and remove writers ({@code admission: "writers"}), not only the
   * admins.
   */
  public boolean writersAdmit() {
    return writersAdmit;
  }

  /** Whether {@code raw} is the key of an admin, who may add and remove writers. */
  public boolean isAdmin(byte[] raw) {
    return adminBytes.contains(ByteBuffer.wrap(raw));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogManifest other && other.block.equals(block);
  }

  @Override
  public int hashCode() {
    return block.cid().hashCode();
  }

  /** The log id. */
  @Override
  public String toString() {
    return block.cid().toString();
  }
}
