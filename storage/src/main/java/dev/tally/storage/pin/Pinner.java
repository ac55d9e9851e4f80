package dev.tally.storage.pin;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.Database;
import dev.tally.storage.DbMap;
import dev.tally.storage.StorageException;
import dev.tally.storage.UnsignedBytesKeyType;
import dev.tally.storage.dag.BlockFetcher;
import dev.tally.storage.dag.DagWalker;
import dev.tally.storage.dag.MissingBlockException;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.gc.GcRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.StringDataType;

/**
 * The pin service: recursive and direct pins (CID → name) in two H2 maps; indirect pins are derived
 * by walking the recursive ones, as in Kubo. Every pin is written in one synced commit after its
 * blocks are stored, and the blocks it covers are held by a {@link BlockLeases} lease from the walk
 * until that commit, so a concurrent garbage collection never takes them.
 */
public final class Pinner implements GcRoots, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Pinner.class.getName());

  /** Journal records per live pin (plus a floor) before the journal is rewritten compactly. */
  private static final long JOURNAL_SLACK = 4096;

  private final Database db;
  private final Blockstore store;
  private final BlockLeases leases;
  private final DagWalker walker;
  private final DbMap<byte[], String> recursive;
  private final DbMap<byte[], String> direct;
  private final PinJournal journal;

  public Pinner(Database db, Blockstore store, BlockLeases leases, BlockFetcher fetcher) {
    this.db = db;
    this.store = store;
    this.leases = leases;
    this.walker = new DagWalker(store, fetcher);
    this.recursive = openMap(db, "pins.recursive");
    this.direct = openMap(db, "pins.direct");
    Path file = db.file().resolveSibling("pins.journal");
    boolean existed = Files.exists(file);
    Map.Entry<PinJournal, PinJournal.State> opened = PinJournal.open(file);
    this.journal = opened.getKey();
    if (existed) {
      restore(opened.getValue());
    } else {
      // A repo from before the journal: its maps are all there is; they seed the journal.
      db.write("start the pin journal", () -> journalRewrite());
    }
  }

  /** Makes the maps say what the journal says (they lag it only if the store lost a commit). */
  private void restore(PinJournal.State truth) {
    int fixed =
        db.write(
            "restore pins from the journal",
            () -> reconcile(recursive, truth.recursive()) + reconcile(direct, truth.direct()));
    if (fixed > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "restored {0} pin change(s) the database had lost from the pin journal",
          fixed);
    }
  }

  private static int reconcile(DbMap<byte[], String> map, Map<Cid, String> truth) {
    int fixed = 0;
    Set<Cid> present = new HashSet<>();
    for (byte[] k : new ArrayList<>(map.keySet())) {
      Cid cid = Cid.decode(k);
      if (!truth.containsKey(cid)) {
        map.remove(k);
        fixed++;
      } else {
        present.add(cid);
      }
    }
    for (Map.Entry<Cid, String> e : truth.entrySet()) {
      if (!present.contains(e.getKey()) || !e.getValue().equals(map.get(e.getKey().bytes()))) {
        map.put(e.getKey().bytes(), e.getValue());
        fixed += present.contains(e.getKey()) ? 0 : 1;
      }
    }
    return fixed;
  }

  private Void journalRewrite() {
    Map<Cid, String> r = new LinkedHashMap<>();
    recursive.forEach((k, v) -> r.put(Cid.decode(k), v));
    Map<Cid, String> d = new LinkedHashMap<>();
    direct.forEach((k, v) -> d.put(Cid.decode(k), v));
    journal.rewrite(new PinJournal.State(r, d));
    return null;
  }

  /** Journals a committed-to-be change; called inside {@code db.write} after the maps changed. */
  private void journal(PinJournal.Change... changes) {
    journal.append(List.of(changes));
  }

  private void compactJournalIfLarge() {
    if (journal.records() > 2 * (recursive.size() + direct.size()) + JOURNAL_SLACK) {
      db.write("rewrite the pin journal", () -> journalRewrite());
    }
  }

  private static PinJournal.Change change(PinJournal.Op op, Cid cid, String name) {
    return new PinJournal.Change(op, cid, name);
  }

  /** Closes the journal (the database is the repo's to close). */
  @Override
  public void close() {
    journal.close();
  }

  private static DbMap<byte[], String> openMap(Database db, String name) {
    return db.map(
        name,
        () ->
            new MVMap.Builder<byte[], String>()
                .keyType(UnsignedBytesKeyType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
  }

  /**
   * Pins {@code cid}: recursively (the whole DAG must be present or fetchable) or directly (the one
   * block). A recursive pin replaces a direct one of the same CID; a direct pin of a recursively
   * pinned CID is refused, as in Kubo.
   *
   * @throws MissingBlockException if a block is neither stored nor fetchable (nothing is pinned)
   */
  public void add(Cid cid, boolean isRecursive, String name) {
    try (BlockLeases.Lease lease = leases.open()) {
      add(cid, isRecursive, name, lease);
    }
  }

  /**
   * {@link #add(Cid, boolean, String)} under the caller's {@code lease}, which the walk adds every
   * block of the DAG to (before reading it) and which the caller closes after this returns: for a
   * pin whose blocks were fetched under that lease ({@link BlockLeases#openWatching}), so they are
   * protected from the moment they were stored until the pin is committed. After a {@link
   * MissingBlockException} the lease still holds what the walk reached, so a caller that fetches
   * the missing block and calls again gets further each time.
   */
  public void add(Cid cid, boolean isRecursive, String name, BlockLeases.Lease lease) {
    byte[] key = cid.bytes();
    if (!isRecursive && recursive.containsKey(key)) {
      throw new PinException(cid + " already pinned recursively");
    }
    if (isRecursive) {
      Set<Multihash> seen = new HashSet<>();
      walker.walk(
          cid,
          true,
          c -> {
            lease.protect(c.multihash());
            return seen.add(c.multihash());
          });
    } else {
      lease.protect(cid.multihash());
      if (!store.has(cid)) {
        walker.walk(cid, true, c -> c.equals(cid));
      }
    }
    db.write(
        "pin " + cid,
        () -> {
          if (isRecursive) {
            direct.remove(key);
            recursive.put(key, name);
            journal(change(PinJournal.Op.ADD_RECURSIVE, cid, name));
          } else {
            if (recursive.containsKey(key)) {
              throw new PinException(cid + " already pinned recursively");
            }
            direct.put(key, name);
            journal(change(PinJournal.Op.ADD_DIRECT, cid, name));
          }
          return null;
        });
    compactJournalIfLarge();
  }

  /**
   * Pins a root recursively without walking its DAG: only for a DAG the caller has just stored
   * whole through a lease it still holds ({@code add}), which already keeps every block of it. A
   * walk would read the whole import back.
   */
  public void pinImported(Cid root, String name) {
    byte[] key = root.bytes();
    db.write(
        "pin " + root,
        () -> {
          direct.remove(key);
          recursive.put(key, name);
          journal(change(PinJournal.Op.ADD_RECURSIVE, root, name));
          return null;
        });
    compactJournalIfLarge();
  }

  /** {@link #pinImported} for many roots in one commit (a CAR with many roots, benchmarks). */
  public void pinAllImported(Collection<Cid> roots, String name) {
    db.write(
        "pin " + roots.size() + " roots",
        () -> {
          List<PinJournal.Change> changes = new ArrayList<>();
          for (Cid root : roots) {
            direct.remove(root.bytes());
            recursive.put(root.bytes(), name);
            changes.add(change(PinJournal.Op.ADD_RECURSIVE, root, name));
          }
          journal.append(changes);
          return null;
        });
    compactJournalIfLarge();
  }

  /**
   * Removes the pin of {@code cid}. With {@code isRecursive} false a recursive pin is refused.
   *
   * @throws PinException {@code not pinned or pinned indirectly} when there is no such pin
   */
  public void rm(Cid cid, boolean isRecursive) {
    byte[] key = cid.bytes();
    db.write(
        "unpin " + cid,
        () -> {
          if (recursive.containsKey(key)) {
            if (!isRecursive) {
              throw new PinException(cid + " is pinned recursively");
            }
            recursive.remove(key);
            journal(change(PinJournal.Op.REMOVE_RECURSIVE, cid, ""));
          } else if (direct.remove(key) == null) {
            throw new PinException("not pinned or pinned indirectly");
          } else {
            journal(change(PinJournal.Op.REMOVE_DIRECT, cid, ""));
          }
          return null;
        });
    compactJournalIfLarge();
  }

  /**
   * Moves a recursive pin from {@code from} to {@code to}, walking only the parts of {@code to}
   * that {@code from} does not already hold (they are present: {@code from} pins them). The new pin
   * and the removal of the old one are one commit, so the shared blocks are pinned throughout.
   */
  public void update(Cid from, Cid to, boolean unpin) {
    try (BlockLeases.Lease lease = leases.open()) {
      update(from, to, unpin, lease);
    }
  }

  /**
   * {@link #update(Cid, Cid, boolean)} under the caller's {@code lease}, as {@link #add(Cid,
   * boolean, String, BlockLeases.Lease)}: for a {@code to} DAG fetched under that lease.
   */
  public void update(Cid from, Cid to, boolean unpin, BlockLeases.Lease lease) {
    byte[] fromKey = from.bytes();
    String name = recursive.get(fromKey);
    if (name == null) {
      throw new PinException("'from' cid was not recursively pinned already");
    }
    Set<Multihash> old = new HashSet<>();
    walker.walk(from, false, c -> old.add(c.multihash()));
    Set<Multihash> seen = new HashSet<>();
    walker.walk(
        to,
        true,
        c -> {
          lease.protect(c.multihash());
          return !old.contains(c.multihash()) && seen.add(c.multihash());
        });
    db.write(
        "update pin " + from + " to " + to,
        () -> {
          if (!recursive.containsKey(fromKey)) {
            throw new PinException("'from' cid was not recursively pinned already");
          }
          direct.remove(to.bytes());
          recursive.put(to.bytes(), name);
          if (unpin && !from.equals(to)) {
            recursive.remove(fromKey);
            journal(
                change(PinJournal.Op.ADD_RECURSIVE, to, name),
                change(PinJournal.Op.REMOVE_RECURSIVE, from, ""));
          } else {
            journal(change(PinJournal.Op.ADD_RECURSIVE, to, name));
          }
          return null;
        });
    compactJournalIfLarge();
  }

  /**
   * Pins of one type, or of every type ({@code Optional.empty()}): recursive, then direct, then
   * indirect (blocks under recursive pins that are not pinned themselves; with a type filter of
   * indirect only, direct pins under a recursive one are listed too, as Kubo does).
   */
  public List<Pin> ls(Optional<PinType> type) {
    List<Pin> out = new ArrayList<>();
    Set<Multihash> listed = new HashSet<>();
    boolean all = type.isEmpty();
    if (all || type.get() == PinType.RECURSIVE || type.get() == PinType.INDIRECT) {
      for (Map.Entry<byte[], String> e : recursive.entrySet()) {
        Cid cid = Cid.decode(e.getKey());
        listed.add(cid.multihash());
        if (all || type.get() == PinType.RECURSIVE) {
          out.add(new Pin(cid, PinType.RECURSIVE, e.getValue()));
        }
      }
    }
    if (all || type.get() == PinType.DIRECT) {
      for (Map.Entry<byte[], String> e : direct.entrySet()) {
        Cid cid = Cid.decode(e.getKey());
        listed.add(cid.multihash());
        out.add(new Pin(cid, PinType.DIRECT, e.getValue()));
      }
    }
    if (all || type.get() == PinType.INDIRECT) {
      for (Cid root : recursiveRoots()) {
        walker.walk(
            root,
            false,
            c -> {
              if (c.equals(root)) {
                return true;
              }
              if (listed.add(c.multihash())) {
                out.add(new Pin(c, PinType.INDIRECT, ""));
                return true;
              }
              return false;
            });
      }
    }
    return out;
  }

  /** How each CID is pinned, matched by multihash (the blockstore's key), in Kubo's order. */
  public Map<Cid, PinStatus> status(Collection<Cid> cids) {
    Map<Cid, PinStatus> out = new LinkedHashMap<>();
    Map<Multihash, Cid> recursiveByHash = new HashMap<>();
    recursive.keySet().forEach(k -> recursiveByHash.put(Cid.decode(k).multihash(), null));
    Set<Multihash> directByHash = new HashSet<>();
    direct.keySet().forEach(k -> directByHash.add(Cid.decode(k).multihash()));
    Map<Multihash, Cid> wanted = new HashMap<>();
    for (Cid cid : cids) {
      Multihash mh = cid.multihash();
      if (recursiveByHash.containsKey(mh)) {
        out.put(cid, new PinStatus(cid, Optional.of(PinType.RECURSIVE), Optional.empty()));
      } else if (directByHash.contains(mh)) {
        out.put(cid, new PinStatus(cid, Optional.of(PinType.DIRECT), Optional.empty()));
      } else {
        out.put(cid, new PinStatus(cid, Optional.empty(), Optional.empty()));
        wanted.put(mh, cid);
      }
    }
    if (wanted.isEmpty()) {
      return out;
    }
    Set<Multihash> seen = new HashSet<>();
    for (Cid root : recursiveRoots()) {
      walker.walk(
          root,
          false,
          c -> {
            Cid hit = wanted.remove(c.multihash());
            if (hit != null) {
              out.put(hit, new PinStatus(hit, Optional.of(PinType.INDIRECT), Optional.of(root)));
            }
            return !wanted.isEmpty() && seen.add(c.multihash());
          });
      if (wanted.isEmpty()) {
        break;
      }
    }
    return out;
  }

  /**
   * Checks every pin: each block under it present, readable and hashing to its CID. Reports each
   * pin (only the bad ones unless {@code includeOk}) and returns whether all were good.
   */
  public boolean verify(boolean includeOk, Consumer<PinVerification> report) {
    boolean allOk = true;
    List<Cid> roots = new ArrayList<>(recursiveRoots());
    int recursiveCount = roots.size();
    roots.addAll(directRoots());
    Map<Multihash, String> verdicts = new HashMap<>();
    for (int i = 0; i < roots.size(); i++) {
      Cid root = roots.get(i);
      List<PinVerification.BadBlock> bad = new ArrayList<>();
      if (i < recursiveCount) {
        verifyDag(root, verdicts, bad);
      } else {
        checkBlock(root, verdicts).ifPresent(e -> bad.add(new PinVerification.BadBlock(root, e)));
      }
      boolean ok = bad.isEmpty();
      allOk &= ok;
      if (!ok || includeOk) {
        report.accept(new PinVerification(root, ok, bad));
      }
    }
    return allOk;
  }

  private void verifyDag(
      Cid root, Map<Multihash, String> verdicts, List<PinVerification.BadBlock> bad) {
    Set<Multihash> seen = new HashSet<>();
    List<Cid> stack = new ArrayList<>(List.of(root));
    while (!stack.isEmpty()) {
      Cid cid = stack.remove(stack.size() - 1);
      if (!seen.add(cid.multihash())) {
        continue;
      }
      Optional<String> error = checkBlock(cid, verdicts);
      if (error.isPresent()) {
        bad.add(new PinVerification.BadBlock(cid, error.get()));
        continue;
      }
      try {
        List<Cid> links = dev.tally.ipld.Links.of(store.get(cid).orElseThrow());
        for (int i = links.size() - 1; i >= 0; i--) {
          stack.add(links.get(i));
        }
      } catch (RuntimeException e) {
        bad.add(new PinVerification.BadBlock(cid, "cannot decode its links: " + e.getMessage()));
      }
    }
  }

  private Optional<String> checkBlock(Cid cid, Map<Multihash, String> verdicts) {
    String verdict =
        verdicts.computeIfAbsent(
            cid.multihash(),
            mh -> {
              try {
                Optional<Block> b = store.get(cid);
                if (b.isEmpty()) {
                  return "block not found locally";
                }
                return mh.matches(b.get().bytes()) ? "" : "block hashes to another CID";
              } catch (StorageException e) {
                return e.getMessage();
              }
            });
    return verdict.isEmpty() ? Optional.empty() : Optional.of(verdict);
  }

  @Override
  public Collection<Cid> recursiveRoots() {
    List<Cid> out = new ArrayList<>();
    recursive.keySet().forEach(k -> out.add(Cid.decode(k)));
    return out;
  }

  @Override
  public Collection<Cid> directRoots() {
    List<Cid> out = new ArrayList<>();
    direct.keySet().forEach(k -> out.add(Cid.decode(k)));
    return out;
  }
}
