package dev.tally.log;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A replica of one log: its verified entries (stored as blocks in a {@link Blockstore}, indexed in
 * memory by CID with their clocks and links, see {@link LogGraph}) and its heads, the entries no
 * other entry names in {@code next}. Only entries that passed every check ({@link Ingest}) are ever
 * stored or indexed.
 *
 * <p>The <em>spine</em> of an entry is its greatest {@code next} in the total order; its skip links
 * ({@code refs}) are the entries 2, 4, 8, … back along the spine, so a walk from a head reaches any
 * ancestor on the spine in logarithmically many hops.
 *
 * <p>Safe to use from several threads: writers are serialised; traversals read a concurrent index.
 */
public final class Log {
  private final LogManifest manifest;
  private final Blockstore store;
  private final Writers initial;
  private final Map<Cid, Node> index = new ConcurrentHashMap<>();
  private final LogGraph graph;
  private final AdmittedKeys admitted;
  private final CheckpointChain chain;
  private final Checkpoints checkpointOps;

  /** Sorted, immutable; replaced under the lock, read without it (never blocks an event loop). */
  private volatile List<Cid> heads = List.of();

  private final List<Consumer<List<Entry>>> listeners = new CopyOnWriteArrayList<>();

  private Log(LogManifest manifest, Blockstore store) {
    this.manifest = manifest;
    this.store = store;
    this.initial = Writers.initial(manifest);
    this.graph = new LogGraph(manifest.cid(), index);
    this.admitted = new AdmittedKeys(manifest);
    this.chain = new CheckpointChain(manifest);
    this.checkpointOps = new Checkpoints(this);
  }

  /** The final checkpoint this replica started from, if it started from one. */
  private volatile Optional<FinalCheckpoint> startedFrom = Optional.empty();

  private Ingest ingest(Function<Cid, Node> known, boolean checkSignatures) {
    Optional<FinalCheckpoint> from = startedFrom;
    return new Ingest(
        manifest,
        initial,
        known,
        admitted::get,
        checkSignatures,
        from.isEmpty() ? c -> false : from.get()::covers);
  }

  /**
   * Starts this replica from a final checkpoint checked by {@link CheckpointBundle#read}: the
   * history it covers, fetched afterwards, is hashed, linked and checked entry by entry as always,
   * but not signature by signature, since a quorum of the manifest's signers signed exactly that
   * set. Entries already held were checked when they were stored and stay as they are, so a replica
   * holding a prefix (a restart before the history arrived) may vouch too.
   *
   * @throws LogException when it is another log's checkpoint
   */
  public void vouch(FinalCheckpoint checkpoint) {
    if (!checkpoint.manifest().cid().equals(id())) {
      throw new LogException("the checkpoint is of log " + checkpoint.manifest().cid());
    }
    startedFrom = Optional.of(checkpoint);
  }

  /** The final checkpoint this replica was started from ({@link #vouch}), if any. */
  public Optional<FinalCheckpoint> startedFrom() {
    return startedFrom;
  }

  /** An empty replica; stores the manifest block so that the log id resolves locally. */
  public static Log create(LogManifest manifest, Blockstore store) {
    store.put(manifest.block());
    return new Log(manifest, store);
  }

  /**
   * Reopens a replica from heads this node saved. Its entries were verified when they were stored,
   * so this re-reads and re-links them without re-checking signatures; {@link #verify()} does.
   *
   * @throws LogException when an entry reachable from the heads is missing or invalid
   */
  public static Log open(LogManifest manifest, Blockstore store, Collection<Cid> heads) {
    Log log = create(manifest, store);
    Ingest.Result r = log.ingest(log.index::get, false).run(heads, store::get);
    if (!r.rejected().isEmpty() || !r.missing().isEmpty()) {
      String why =
          !r.rejected().isEmpty()
              ? r.rejected().get(0).getMessage()
              : "entries missing from the store: " + r.missing();
      throw new LogException(
          "the stored replica of log " + manifest.cid() + " is damaged (run verify): " + why);
    }
    log.index.putAll(r.nodes());
    log.admitted.note(r.accepted());
    log.noteCheckpoints(r.accepted());
    log.heads = heads.stream().distinct().sorted().toList();
    return log;
  }

  public Cid id() {
    return manifest.cid();
  }

  public LogManifest manifest() {
    return manifest;
  }

  /** The blockstore holding this replica's entries (and, for sources, its blocks). */
  public Blockstore store() {
    return store;
  }

  /** Entries in this replica. */
  public long size() {
    return index.size();
  }

  public boolean contains(Cid cid) {
    return index.containsKey(cid);
  }

  /** The heads, sorted by CID bytes. Never waits for a writer. */
  public List<Cid> heads() {
    return heads;
  }

  // ---- writing

  /**
   * Appends {@code record}, signed by {@code key}, after the current heads, and stores it.
   *
   * @throws LogException when {@code key} is not a writer or the entry would be over 64 KiB
   */
  public synchronized Entry append(IpldNode record, Ed25519PrivateKey key) {
    return appendAll(List.of(record), key).get(0);
  }

  /**
   * Appends {@code records} one after the other, each linking to the one before, and stores them in
   * one batch (one commit in a transactional blockstore): nothing is stored if any fails.
   *
   * @throws LogException when {@code key} may not write at the heads, an admission record comes
   *     from a key that is not an admin, or an entry would be over 64 KiB
   */
  public List<Entry> appendAll(List<IpldNode> records, Ed25519PrivateKey key) {
    return appendAll(records, key, List.of());
  }

  /**
   * As {@link #appendAll(List, Ed25519PrivateKey)}; the first entry also links to {@code also}
   * (older entries of this replica, as an endorsement links its checkpoint).
   */
  List<Entry> appendAll(List<IpldNode> records, Ed25519PrivateKey key, List<Cid> also) {
    List<Entry> entries;
    synchronized (this) {
      if (!canWrite(key.publicKey())) {
        throw new LogException(
            "key "
                + key.publicKey().peerId()
                + " is not a writer of log "
                + manifest.cid()
                + "; an admin adds writers with a WriterAdded entry");
      }
      Map<Cid, Node> added = new HashMap<>();
      Ingest links = ingest(c -> added.containsKey(c) ? added.get(c) : index.get(c), false);
      List<Cid> tips = heads;
      if (!also.isEmpty()) {
        also.forEach(graph::require);
        tips =
            java.util.stream.Stream.concat(tips.stream(), also.stream())
                .distinct()
                .sorted()
                .toList();
      }
      entries = new ArrayList<>(records.size());
      for (IpldNode record : records) {
        List<Node> next = tips.stream().map(links::node).toList();
        Node spine = next.stream().max(Comparator.naturalOrder()).orElse(null);
        long time = next.stream().mapToLong(Node::time).max().orElse(0) + 1;
        Entry e = Entry.sign(manifest.cid(), time, tips, links.skipLinks(spine), record, key);
        try {
          added.put(e.cid(), links.nodeOf(e, next, spine));
        } catch (LogVerificationException ex) {
          throw new LogException("cannot append: " + ex.getMessage(), ex);
        }
        entries.add(e);
        tips = List.of(e.cid());
      }
      store.putAll(entries.stream().map(Entry::block).toList());
      index.putAll(added);
      admitted.note(entries);
      noteCheckpoints(entries);
      heads = tips;
      notifyListeners(entries);
    }
    return entries;
  }

  /** Appends a {@code WriterAdded} entry signed by {@code admin}: {@code writer} may then write. */
  public Entry addWriter(Ed25519PublicKey writer, Ed25519PrivateKey admin) {
    return append(Admission.writerAdded(writer), admin);
  }

  /**
   * Appends a {@code WriterRemoved} entry signed by {@code admin}: entries that descend from it can
   * no longer be written by {@code writer}.
   */
  public Entry removeWriter(Ed25519PublicKey writer, Ed25519PrivateKey admin) {
    return append(Admission.writerRemoved(writer), admin);
  }

  private void noteCheckpoints(List<Entry> added) {
    if (chain.note(added, graph)) {
      graph.cut(chain.snapshot());
    }
  }

  /** Whether {@code key} may append at the current heads. */
  public boolean canWrite(Ed25519PublicKey key) {
    return manifest.isAdmin(key.raw()) || writersAtHeads().canWrite(key.raw());
  }

  /** The keys that may append at the current heads, sorted by their bytes. */
  public List<Ed25519PublicKey> writers() {
    return admitted.list(writersAtHeads());
  }

  private Writers writersAtHeads() {
    return Writers.merge(initial, heads.stream().map(index::get).map(Node::writers).toList());
  }

  /**
   * Merges another replica's heads (a Merkle-CRDT union): reads from {@code source} every entry
   * reachable from {@code remoteHeads} that this replica lacks, verifies each, stores the valid
   * ones in one batch and recomputes the heads. Invalid entries, and entries that link to them or
   * to entries the source lacks, are rejected and never stored.
   */
  public JoinResult join(Collection<Cid> remoteHeads, EntrySource source) {
    // Verification (the signatures above all) runs without the lock, so appends and readers do
    // not wait for it; only storing and relinking the accepted entries is serialised.
    Ingest.Result r = ingest(index::get, true).run(remoteHeads, source);
    List<Entry> fresh;
    List<Cid> after;
    synchronized (this) {
      fresh = r.accepted().stream().filter(e -> !index.containsKey(e.cid())).toList();
      store.putAll(fresh.stream().map(Entry::block).toList());
      for (Entry e : fresh) {
        index.put(e.cid(), r.nodes().get(e.cid()));
      }
      admitted.note(fresh);
      noteCheckpoints(fresh);
      TreeSet<Cid> h = new TreeSet<>(heads);
      fresh.forEach(e -> h.add(e.cid()));
      fresh.forEach(e -> e.next().forEach(h::remove));
      after = List.copyOf(h);
      heads = after;
      notifyListeners(fresh);
    }
    return new JoinResult(
        fresh.stream().map(Entry::cid).toList(), r.rejected(), r.missing(), after);
  }

  // ---- listening

  /**
   * Calls {@code listener} with the entries each append or join adds, in total order within the
   * batch, while the log's lock is held (so batches arrive in the order they were added): it must
   * return quickly and must not call back into the log's writing methods. A join may add entries
   * that sort before entries already delivered (a concurrent branch); a reader that needs the total
   * order re-reads {@link #entries()}.
   *
   * @return cancels the subscription
   */
  public Runnable subscribe(Consumer<List<Entry>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void notifyListeners(List<Entry> added) {
    if (added.isEmpty()) {
      return;
    }
    for (Consumer<List<Entry>> l : listeners) {
      l.accept(added);
    }
  }

  // ---- verifying

  /**
   * Re-checks the whole replica from the blockstore, as a new peer would: every entry reachable
   * from the heads is re-read, re-hashed, decoded strictly and checked for writer, signature,
   * links, clock and skip links.
   */
  public VerifyReport verify() {
    return verify(manifest, store, heads());
  }

  /**
   * Checks the replica of {@code manifest}'s log in {@code store} from {@code from}, without
   * loading it first: a damaged replica, which {@link #open} refuses, gets a report of its faults.
   */
  public static VerifyReport verify(LogManifest manifest, Blockstore store, Collection<Cid> from) {
    return VerifyReport.check(manifest, store, from);
  }

  // ---- reading

  /** The entry, if this replica holds it. */
  public Optional<Entry> get(Cid cid) {
    if (!index.containsKey(cid)) {
      return Optional.empty();
    }
    return store.get(cid).map(Entry::decode);
  }

  private Entry read(Cid cid) {
    return get(cid)
        .orElseThrow(() -> new LogException("entry " + cid + " vanished from the blockstore"));
  }

  /**
   * Every entry in ascending total order (oldest first), read lazily from the store: the order in
   * which readers fold the log (a snapshot of the replica when called).
   */
  public Stream<Entry> entries() {
    return order().stream().map(this::read);
  }

  /** Every entry's CID in ascending total order (oldest first). */
  public List<Cid> order() {
    return graph.sorted();
  }

  /** All entries, newest first; see {@link #traverse(Collection, Collection)}. */
  public Stream<Entry> traverse() {
    return traverse(heads(), List.of());
  }

  /**
   * The entries reachable from {@code from} (inclusive) and not from {@code until}, newest first in
   * the total order (the reverse of {@link #order()}), read lazily from the store as the stream is
   * consumed. Both sides must be entries of this replica.
   */
  public Stream<Entry> traverse(Collection<Cid> from, Collection<Cid> until) {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                graph.walk(from, until),
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL),
            false)
        .map(n -> read(n.cid()));
  }

  // ---- checkpoints

  /** This replica's checkpoints: propose, endorse, list, and the latest final one (ADR 018). */
  public Checkpoints checkpoints() {
    return checkpointOps;
  }

  LogGraph graph() {
    return graph;
  }

  CheckpointChain chain() {
    return chain;
  }

  // ---- what sync and proofs ask

  /**
   * The entries reachable from {@code from} and not from {@code until}, oldest first, at most
   * {@code max} of them (the oldest: a prefix of the order is closed under links, so a peer can
   * verify it before the rest arrives). CIDs this replica lacks are ignored on both sides.
   */
  public List<Cid> delta(Collection<Cid> from, Collection<Cid> until, int max) {
    return graph.delta(from, until, max);
  }

  /**
   * Whether every entry of {@code targets} is reachable from {@code from} (inclusive), that is,
   * whether a peer whose heads are {@code from} already holds them. The walk stops below the oldest
   * target, so it costs what lies between.
   */
  public boolean reaches(Collection<Cid> from, Collection<Cid> targets) {
    return graph.reaches(from, targets);
  }

  /**
   * What this replica tells a peer it holds when asking for a delta: the heads and, for each, its
   * parents and skip links. A peer that lacks our newest entries (a concurrent writer) still knows
   * some of these older ones, so it need not resend everything below them.
   */
  public List<Cid> anchors(int max) {
    return graph.anchors(heads, max);
  }

  /**
   * The shortest chain of entries from a head down to {@code target} (head first, target last),
   * each one linking to the next by {@code next} or a skip link in {@code refs}. Only entries later
   * than the target can lie on the chain, so the search never goes below its time.
   *
   * @throws LogException when the target is not in this replica
   */
  public List<Entry> chainTo(Cid target) {
    return graph.chainTo(heads(), target).stream().map(this::read).toList();
  }

  /**
   * When {@code entry}'s author was admitted by an entry rather than named in the manifest: the
   * chain from {@code entry} (first) down to that {@code WriterAdded} entry (last), each linking to
   * the next, which shows the admission lies in the entry's causal past. Empty for the manifest's
   * writers and admins.
   *
   * @throws LogException when the entry is not in this replica
   */
  public List<Entry> admissionChain(Cid entry) {
    return admitted.chainTo(graph.require(entry), initial, graph).stream().map(this::read).toList();
  }
}
