package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One verification pass: reads every entry reachable from some heads that the log does not hold
 * yet, checks each (hash, canonical form, signature, links, clock, skip links, writer in its causal
 * past) and returns the valid ones in total order with the rejects. Nothing is stored here.
 * Signatures, the dominant cost, are checked in parallel; the link and clock checks then run in
 * time order, parents first.
 */
final class Ingest {
  /** Below this many entries a parallel stream costs more than it saves. */
  private static final int PARALLEL_MIN = 64;

  private final LogManifest manifest;
  private final Writers initial;
  private final Function<Cid, Node> known;
  private final Function<ByteBuffer, Ed25519PublicKey> knownKeys;
  private final boolean checkSignatures;
  private final java.util.function.Predicate<Cid> vouched;
  private final Map<Cid, Node> added = new HashMap<>();
  private final Map<ByteBuffer, Ed25519PublicKey> newKeys = new HashMap<>();

  /**
   * @param known the log's verified entries
   * @param knownKeys every key the log has ever admitted (null for none): an author whose key is
   *     neither there nor admitted by an entry of this pass cannot be a writer, so its signature is
   *     never checked
   */
  Ingest(
      LogManifest manifest,
      Writers initial,
      Function<Cid, Node> known,
      Function<ByteBuffer, Ed25519PublicKey> knownKeys,
      boolean checkSignatures) {
    this(manifest, initial, known, knownKeys, checkSignatures, c -> false);
  }

  /**
   * @param vouched entries whose signature need not be checked: a final checkpoint's quorum of
   *     signers vouched for exactly these CIDs, and each entry's bytes are hashed against its CID
   */
  Ingest(
      LogManifest manifest,
      Writers initial,
      Function<Cid, Node> known,
      Function<ByteBuffer, Ed25519PublicKey> knownKeys,
      boolean checkSignatures,
      java.util.function.Predicate<Cid> vouched) {
    this.vouched = vouched;
    this.manifest = manifest;
    this.initial = initial;
    this.known = known;
    this.knownKeys = knownKeys;
    this.checkSignatures = checkSignatures;
  }

  record Result(
      List<Entry> accepted,
      Map<Cid, Node> nodes,
      List<LogVerificationException> rejected,
      Set<Cid> missing) {}

  Result run(Collection<Cid> heads, EntrySource source) {
    Map<Cid, Entry> pending = new HashMap<>();
    Map<Cid, LogVerificationException> rejected = new LinkedHashMap<>();
    Set<Cid> missing = new HashSet<>();
    Deque<Cid> stack = new ArrayDeque<>(heads);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (node(cid) != null
          || pending.containsKey(cid)
          || rejected.containsKey(cid)
          || missing.contains(cid)) {
        continue;
      }
      Optional<Block> block = source.get(cid);
      if (block.isEmpty()) {
        missing.add(cid);
        continue;
      }
      try {
        Entry e = Entry.decodeUntrusted(block.get());
        pending.put(cid, e);
        e.next().forEach(stack::push);
        e.refs().forEach(stack::push);
      } catch (LogVerificationException e) {
        rejected.put(cid, e);
      }
    }
    collectAdmittedKeys(pending.values());
    checkAuthors(pending, rejected);
    List<Entry> ordered = new ArrayList<>(pending.values());
    ordered.sort(EntryOrder.ENTRIES);
    List<Entry> accepted = new ArrayList<>(ordered.size());
    Set<Cid> done = new HashSet<>();
    for (Entry e : ordered) {
      try {
        added.put(e.cid(), checkLinks(e, pending, done, rejected, missing));
        accepted.add(e);
      } catch (LogVerificationException ex) {
        rejected.put(e.cid(), ex);
      }
      done.add(e.cid());
    }
    return new Result(accepted, added, List.copyOf(rejected.values()), missing);
  }

  private void checkAuthors(Map<Cid, Entry> pending, Map<Cid, LogVerificationException> rejected) {
    Collection<Entry> all = pending.values();
    List<LogVerificationException> bad =
        (all.size() >= PARALLEL_MIN ? all.parallelStream() : all.stream())
            .map(this::authorFault)
            .flatMap(Optional::stream)
            .toList();
    for (LogVerificationException ex : bad) {
      pending.remove(ex.cid());
      rejected.put(ex.cid(), ex);
    }
  }

  /**
   * The keys admins admit in this pass may sign entries of the same pass; whether each such entry
   * really follows its admission is checked later, in causal order.
   */
  private void collectAdmittedKeys(Collection<Entry> entries) {
    for (Entry e : entries) {
      if (manifest.isAdmin(e.authorUnsafe()) || manifest.writersAdmit()) {
        try {
          Admission.of(e.record())
              .filter(Admission.Change::added)
              .ifPresent(c -> newKeys.putIfAbsent(ByteBuffer.wrap(c.key().raw()), c.key()));
        } catch (IllegalArgumentException ignored) {
          // A malformed admission record is rejected, with its reason, when its links are checked.
        }
      }
    }
  }

  private Ed25519PublicKey keyOf(byte[] author) {
    ByteBuffer b = ByteBuffer.wrap(author);
    Ed25519PublicKey k = manifest.writer(author).orElse(null);
    if (k == null) {
      k = newKeys.get(b);
    }
    if (k == null && knownKeys != null) {
      k = knownKeys.apply(b);
    }
    return k;
  }

  private Optional<LogVerificationException> authorFault(Entry e) {
    try {
      if (!e.log().equals(manifest.cid())) {
        throw new LogVerificationException(
            Kind.WRONG_LOG, e.cid(), "belongs to log " + e.log() + ", not " + manifest.cid());
      }
      Ed25519PublicKey key = keyOf(e.authorUnsafe());
      if (key == null) {
        throw notAWriter(e, "is not a writer of log " + manifest.cid());
      }
      if (checkSignatures && !vouched.test(e.cid()) && !e.signatureValidUnder(key)) {
        throw new LogVerificationException(
            Kind.BAD_SIGNATURE, e.cid(), "signature does not verify under " + peerId(key));
      }
      return Optional.empty();
    } catch (LogVerificationException ex) {
      return Optional.of(ex);
    }
  }

  private static LogVerificationException notAWriter(Entry e, String why) {
    String who;
    try {
      who = peerId(Ed25519PublicKey.of(e.authorUnsafe()));
    } catch (RuntimeException ex) {
      who = "an invalid key";
    }
    return new LogVerificationException(Kind.NOT_A_WRITER, e.cid(), "author " + who + " " + why);
  }

  private static String peerId(Ed25519PublicKey key) {
    return PeerId.fromPublicKey(key).toString();
  }

  /**
   * Who may write after {@code e}, whose parents are {@code next}: the author must be a writer in
   * the causal past, and an admission record must come from an admin.
   *
   * @throws LogVerificationException with kind NOT_A_WRITER, NOT_AN_ADMIN or MALFORMED
   */
  Writers writersAfter(Entry e, List<Node> next) {
    Writers before = Writers.merge(initial, next.stream().map(Node::writers).toList());
    // Admins write whatever the entries say: their right comes from the manifest itself.
    if (!before.canWrite(e.authorUnsafe()) && !manifest.isAdmin(e.authorUnsafe())) {
      throw notAWriter(e, "is not a writer of log " + manifest.cid() + " in the entry's past");
    }
    Optional<Admission.Change> change;
    try {
      change = Admission.of(e.record());
    } catch (IllegalArgumentException ex) {
      throw new LogVerificationException(Kind.MALFORMED, e.cid(), ex.getMessage());
    }
    if (change.isEmpty()) {
      return before;
    }
    // Under "admission: writers" the author is a writer in the entry's past (checked above).
    if (!manifest.isAdmin(e.authorUnsafe()) && !manifest.writersAdmit()) {
      throw new LogVerificationException(
          Kind.NOT_AN_ADMIN,
          e.cid(),
          "only an admin named in the manifest may add or remove writers of " + manifest.cid());
    }
    Admission.Change c = change.get();
    return before.after(
        new Writers.Event(
            e.cid(), e.time(), e.authorUnsafe(), c.added(), ByteBuffer.wrap(c.key().raw())));
  }

  /** Checks links, clock, skip links and writer; returns the entry's node. */
  private Node checkLinks(
      Entry e,
      Map<Cid, Entry> pending,
      Set<Cid> done,
      Map<Cid, LogVerificationException> rejected,
      Set<Cid> missing) {
    List<Node> next = new ArrayList<>(e.next().size());
    for (Cid link : e.next()) {
      next.add(resolve(e, link, pending, done, rejected, missing));
    }
    for (Cid link : e.refs()) {
      resolve(e, link, pending, done, rejected, missing);
    }
    Node spine = null;
    long max = 0;
    for (Node n : next) {
      max = Math.max(max, n.time());
      if (spine == null || n.compareTo(spine) > 0) {
        spine = n;
      }
    }
    if (e.time() != max + 1) {
      throw new LogVerificationException(
          Kind.BAD_CLOCK,
          e.cid(),
          "time is " + e.time() + ", expected 1 + the greatest time of next = " + (max + 1));
    }
    List<Cid> expected = skipLinks(spine);
    if (!expected.equals(e.refs())) {
      throw new LogVerificationException(
          Kind.BAD_REFS, e.cid(), "refs are " + e.refs() + ", expected " + expected);
    }
    return nodeOf(e, next, spine);
  }

  /**
   * The node of {@code e}, whose links are checked, once its author's right to write and the
   * records the log reads (admissions, checkpoints, endorsements) are checked.
   *
   * @throws LogVerificationException when either check fails
   */
  Node nodeOf(Entry e, List<Node> next, Node spine) {
    Writers writers = writersAfter(e, next);
    checkCheckpointRecord(e);
    return Node.of(e, spine == null ? null : spine.cid(), writers);
  }

  /** A checkpoint states its own {@code next} as its heads; an endorsement links its checkpoint. */
  private void checkCheckpointRecord(Entry e) {
    try {
      Optional<CheckpointRecords.Digest> d = CheckpointRecords.digest(e.record());
      if (d.isPresent() && !d.get().heads().equals(e.next())) {
        throw new LogVerificationException(
            Kind.MALFORMED, e.cid(), "a checkpoint's heads must be the entry's next");
      }
      Optional<Cid> endorsed = CheckpointRecords.endorsed(e.record());
      if (endorsed.isPresent()) {
        Cid c = endorsed.get();
        if (!e.next().contains(c)) {
          throw new LogVerificationException(
              Kind.MALFORMED, e.cid(), "an endorsement must list its checkpoint " + c + " in next");
        }
        Node n = node(c);
        if (n == null || !n.checkpoint()) {
          throw new LogVerificationException(
              Kind.MALFORMED, e.cid(), "endorses " + c + ", which is not a checkpoint");
        }
      }
    } catch (IllegalArgumentException ex) {
      throw new LogVerificationException(Kind.MALFORMED, e.cid(), ex.getMessage());
    }
  }

  private Node resolve(
      Entry e,
      Cid link,
      Map<Cid, Entry> pending,
      Set<Cid> done,
      Map<Cid, LogVerificationException> rejected,
      Set<Cid> missing) {
    Node n = node(link);
    if (n != null) {
      return n;
    }
    if (pending.containsKey(link) && !done.contains(link)) {
      throw new LogVerificationException(
          Kind.BAD_CLOCK, e.cid(), "links to " + link + ", whose time is not earlier");
    }
    if (rejected.containsKey(link)) {
      throw new LogVerificationException(
          Kind.DANGLING_LINK, e.cid(), "links to the rejected entry " + link);
    }
    throw new LogVerificationException(
        Kind.DANGLING_LINK,
        e.cid(),
        "links to " + link + (missing.contains(link) ? ", which was not found" : ", not an entry"));
  }

  /**
   * The skip links of an entry whose spine parent is {@code parent}: the entries 2, 4, 8, … back
   * along the spine. The entry 2^(k+1) back is the one 2^k back from the one 2^k back, so each link
   * comes from one look-up in the previous link's own refs.
   */
  List<Cid> skipLinks(Node parent) {
    List<Cid> refs = new ArrayList<>();
    if (parent == null || parent.spine() == null) {
      return refs;
    }
    refs.add(parent.spine());
    for (int k = 1; k < Entry.MAX_REFS; k++) {
      Node r = node(refs.get(k - 1));
      if (r == null || r.refs().size() < k) {
        break;
      }
      refs.add(r.refs().get(k - 1));
    }
    return refs;
  }

  Node node(Cid cid) {
    Node n = added.get(cid);
    return n != null ? n : known.apply(cid);
  }
}
