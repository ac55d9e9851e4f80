package dev.tally.log;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A log entry, the DAG-CBOR block {@code {v: 1, log, clock: {peer, time}, next, refs, record,
 * author, sig}}. {@code sig} is the author's Ed25519 signature over the canonical DAG-CBOR of the
 * same map without {@code sig}; {@code clock.peer} and {@code author} are the author's raw 32-byte
 * key; {@code next} (the heads the author saw) is sorted by CID bytes and distinct; {@code refs}
 * are skip links to the entries 2, 4, 8, … back along the spine (see {@link Log}).
 *
 * <p>{@link #decode} checks everything an entry can prove alone (size, hash, canonical form, field
 * types); the signature, the writer and the links are checked against a manifest and a log.
 */
public final class Entry {
  public static final long VERSION = 1;

  /** Largest entry block, in bytes. */
  public static final int MAX_SIZE = 64 * 1024;

  /** Most heads an entry may name; more would let one entry pin unbounded work on verifiers. */
  public static final int MAX_NEXT = 256;

  /** Skip links reach 2^64 entries back long before this. */
  public static final int MAX_REFS = 64;

  private static final Set<String> FIELDS =
      Set.of("v", "log", "clock", "next", "refs", "record", "author", "sig");

  private final Block block;
  private final IpldMap map;
  private final Cid log;
  private final long time;
  private final byte[] author;
  private final List<Cid> next;
  private final List<Cid> refs;
  private final IpldNode record;
  private final byte[] sig;

  private Entry(
      Block block,
      IpldMap map,
      Cid log,
      long time,
      byte[] author,
      List<Cid> next,
      List<Cid> refs,
      IpldNode record,
      byte[] sig) {
    this.block = block;
    this.map = map;
    this.log = log;
    this.time = time;
    this.author = author;
    this.next = next;
    this.refs = refs;
    this.record = record;
    this.sig = sig;
  }

  /**
   * Builds and signs an entry. {@code next} is sorted here; the caller gives the skip links in
   * distance order.
   */
  public static Entry sign(
      Cid log, long time, List<Cid> next, List<Cid> refs, IpldNode record, Ed25519PrivateKey key) {
    List<Cid> sortedNext = next.stream().distinct().sorted().toList();
    byte[] authorBytes = key.publicKey().raw();
    IpldMap unsigned = unsignedMap(log, time, sortedNext, refs, record, authorBytes);
    byte[] sig = key.sign(DagCbor.encode(unsigned));
    IpldMap.Builder b = IpldNode.map();
    unsigned.entries().forEach(e -> b.put(e.getKey(), e.getValue()));
    IpldMap signed = b.put("sig", sig).build();
    byte[] bytes = DagCbor.encode(signed);
    Block block = Block.create(DagCbor.CODE, bytes);
    if (bytes.length > MAX_SIZE) {
      throw new LogException(
          "entry is "
              + bytes.length
              + " bytes, over the "
              + MAX_SIZE
              + "-byte limit; shrink the record");
    }
    try {
      // The map just encoded is the decoded form of these bytes (the encoder is canonical), so
      // the field checks run on it without decoding the bytes back.
      return parse(block, signed);
    } catch (LogVerificationException | IllegalStateException | ArithmeticException e) {
      throw new LogException("cannot sign an invalid entry: " + e.getMessage(), e);
    }
  }

  private static IpldMap unsignedMap(
      Cid log, long time, List<Cid> next, List<Cid> refs, IpldNode record, byte[] author) {
    return IpldNode.map()
        .put("v", VERSION)
        .put("log", log)
        .put("clock", IpldNode.map().put("peer", author).put("time", time).build())
        .put("next", links(next))
        .put("refs", links(refs))
        .put("record", record)
        .put("author", author)
        .build();
  }

  private static IpldNode links(List<Cid> cids) {
    return IpldNode.list(cids.stream().map(c -> (IpldNode) IpldNode.of(c)).toList());
  }

  /**
   * Decodes an entry from an untrusted source: the bytes must hash to {@code block}'s CID, be
   * canonical DAG-CBOR and hold exactly the entry fields.
   *
   * @throws LogVerificationException naming the fault
   */
  public static Entry decodeUntrusted(Block block) {
    if (!block.cid().multihash().matches(block.bytes())) {
      throw new LogVerificationException(
          Kind.BAD_HASH, block.cid(), "the bytes do not hash to the CID");
    }
    return decode(block);
  }

  /** As {@link #decodeUntrusted}, for a block whose CID its holder has already checked. */
  public static Entry decode(Block block) {
    Cid cid = block.cid();
    if (block.size() > MAX_SIZE) {
      throw new LogVerificationException(
          Kind.TOO_LARGE, cid, block.size() + " bytes, over the " + MAX_SIZE + "-byte limit");
    }
    if (cid.codec() != DagCbor.CODE) {
      throw new LogVerificationException(
          Kind.NON_CANONICAL, cid, "the CID's codec is not dag-cbor");
    }
    IpldNode node;
    try {
      node = DagCbor.decode(block.bytes(), 64);
    } catch (CodecException e) {
      throw new LogVerificationException(Kind.NON_CANONICAL, cid, e.getMessage());
    }
    try {
      return parse(block, node);
    } catch (IllegalStateException | ArithmeticException e) {
      throw new LogVerificationException(Kind.MALFORMED, cid, "mistyped field: " + e.getMessage());
    }
  }

  private static Entry parse(Block block, IpldNode node) {
    Cid cid = block.cid();
    IpldMap m = node.asMap();
    if (m.size() != FIELDS.size() || !FIELDS.containsAll(m.keys())) {
      throw new LogVerificationException(
          Kind.MALFORMED, cid, "fields are " + m.keys() + ", expected exactly " + FIELDS);
    }
    if (m.get("v").orElseThrow().asLong() != VERSION) {
      throw new LogVerificationException(Kind.MALFORMED, cid, "unsupported entry version");
    }
    Cid log = m.get("log").orElseThrow().asLink();
    IpldMap clock = m.get("clock").orElseThrow().asMap();
    if (clock.size() != 2 || !clock.containsKey("peer") || !clock.containsKey("time")) {
      throw new LogVerificationException(
          Kind.MALFORMED, cid, "clock must hold exactly peer and time");
    }
    byte[] author = m.get("author").orElseThrow().asBytes();
    if (author.length != Ed25519PublicKey.LENGTH) {
      throw new LogVerificationException(Kind.MALFORMED, cid, "author is not a 32-byte key");
    }
    if (!Arrays.equals(author, clock.get("peer").orElseThrow().asBytes())) {
      throw new LogVerificationException(Kind.BAD_CLOCK, cid, "clock peer differs from the author");
    }
    long time = clock.get("time").orElseThrow().asLong();
    if (time < 1) {
      throw new LogVerificationException(Kind.BAD_CLOCK, cid, "clock time " + time + " < 1");
    }
    List<Cid> next = linkList(m.get("next").orElseThrow(), MAX_NEXT, cid, "next");
    for (int i = 1; i < next.size(); i++) {
      if (next.get(i - 1).compareTo(next.get(i)) >= 0) {
        throw new LogVerificationException(
            Kind.MALFORMED, cid, "next is not sorted by CID bytes without duplicates");
      }
    }
    List<Cid> refs = linkList(m.get("refs").orElseThrow(), MAX_REFS, cid, "refs");
    if (new HashSet<>(refs).size() != refs.size()) {
      throw new LogVerificationException(Kind.MALFORMED, cid, "refs repeat an entry");
    }
    byte[] sig = m.get("sig").orElseThrow().asBytes();
    if (sig.length != 64) {
      throw new LogVerificationException(Kind.MALFORMED, cid, "sig is not 64 bytes");
    }
    return new Entry(block, m, log, time, author, next, refs, m.get("record").orElseThrow(), sig);
  }

  private static List<Cid> linkList(IpldNode node, int max, Cid cid, String field) {
    List<IpldNode> items = node.asList();
    if (items.size() > max) {
      throw new LogVerificationException(
          Kind.MALFORMED, cid, field + " holds " + items.size() + " links, at most " + max);
    }
    List<Cid> out = new ArrayList<>(items.size());
    for (IpldNode item : items) {
      Cid link = item.asLink();
      if (link.codec() != DagCbor.CODE) {
        throw new LogVerificationException(
            Kind.MALFORMED, cid, field + " links to a non-dag-cbor block " + link);
      }
      out.add(link);
    }
    return List.copyOf(out);
  }

  /** The bytes the signature covers: the canonical DAG-CBOR of the entry without {@code sig}. */
  public byte[] signedBytes() {
    byte[] sliced = spliceOutSig();
    return sliced != null
        ? sliced
        : DagCbor.encode(unsignedMap(log, time, next, refs, record, author));
  }

  /**
   * The entry's own canonical bytes without the {@code sig} entry, or null if they are not laid out
   * as expected. Canonical key order puts {@code v}, {@code log}, {@code sig} first (shortest keys
   * first), and each map entry is its key's bytes followed by its value's, so removing {@code sig}
   * is one splice and a map header of 7 instead of 8: the same bytes a re-encode would give, with
   * no re-encode on the verification path.
   */
  private byte[] spliceOutSig() {
    byte[] bytes = block.bytes();
    int cidLen = log.encodedLength();
    int linkBytes = cidLen + 1; // the multibase identity prefix of CBOR tag 42
    int linkHeader = linkBytes < 24 ? 1 : linkBytes < 256 ? 2 : 3;
    int sigAt = 1 + 3 + 4 + 2 + linkHeader + linkBytes;
    int sigLen = 4 + 2 + 64;
    if (bytes[0] != (byte) 0xa8 || bytes.length < sigAt + sigLen) {
      return null;
    }
    for (int i = 0; i < SIG_PREFIX.length; i++) {
      if (bytes[sigAt + i] != SIG_PREFIX[i]) {
        return null;
      }
    }
    byte[] out = new byte[bytes.length - sigLen];
    out[0] = (byte) 0xa7;
    System.arraycopy(bytes, 1, out, 1, sigAt - 1);
    System.arraycopy(bytes, sigAt + sigLen, out, sigAt, bytes.length - sigAt - sigLen);
    return out;
  }

  /** {@code "sig"} as a CBOR text string, then the header of a 64-byte byte string. */
  private static final byte[] SIG_PREFIX = {0x63, 's', 'i', 'g', 0x58, 0x40};

  /** Whether the signature verifies under {@code key} (the caller has matched key and author). */
  public boolean signatureValidUnder(Ed25519PublicKey key) {
    return key.verify(signedBytes(), sig);
  }

  /**
   * Checks that the entry belongs to {@code manifest}'s log and is signed by one of the writers or
   * admins named in the manifest (not by a writer admitted later, whose right to write depends on
   * the entry's causal past; the log checks that).
   *
   * @throws LogVerificationException with kind WRONG_LOG, NOT_A_WRITER or BAD_SIGNATURE
   */
  public void verifySignature(LogManifest manifest) {
    if (!log.equals(manifest.cid())) {
      throw new LogVerificationException(
          Kind.WRONG_LOG, cid(), "belongs to log " + log + ", not " + manifest.cid());
    }
    Ed25519PublicKey key =
        manifest
            .writer(author)
            .orElseThrow(
                () ->
                    new LogVerificationException(
                        Kind.NOT_A_WRITER,
                        cid(),
                        "author " + authorPeerId() + " is not a writer of log " + log));
    if (!signatureValidUnder(key)) {
      throw new LogVerificationException(
          Kind.BAD_SIGNATURE, cid(), "signature does not verify under " + authorPeerId());
    }
  }

  private String authorPeerId() {
    try {
      return dev.tally.crypto.PeerId.fromPublicKey(Ed25519PublicKey.of(author)).toString();
    } catch (RuntimeException e) {
      return "an invalid key";
    }
  }

  public Cid cid() {
    return block.cid();
  }

  public Block block() {
    return block;
  }

  public Cid log() {
    return log;
  }

  /** The Lamport time. */
  public long time() {
    return time;
  }

  /** The author's raw 32-byte Ed25519 key (a copy). */
  public byte[] author() {
    return author.clone();
  }

  byte[] authorUnsafe() {
    return author;
  }

  public List<Cid> next() {
    return next;
  }

  public List<Cid> refs() {
    return refs;
  }

  public IpldNode record() {
    return record;
  }

  /** The entry as a data-model map (with {@code sig}). */
  public IpldMap node() {
    return map;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry other && other.block.equals(block);
  }

  @Override
  public int hashCode() {
    return block.cid().hashCode();
  }

  /** The entry's CID. */
  @Override
  public String toString() {
    return block.cid().toString();
  }
}
