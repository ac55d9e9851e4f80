package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PeerIdFormatException;
import dev.tally.ipld.Block;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogManifest;
import dev.tally.log.StateLayout;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pinset as a DAG, the application state root of a cluster log checkpoint (ADR 018): a root block
 * {@code {type: "cluster/pinset", v: 1, registers: <count>, chunks: [CID]}} over DAG-CBOR chunks of
 * at most {@value #CHUNK} registers. Each register keeps the stamp (Lamport time, author, entry
 * CID) of the entry that set it, so a member that restores the snapshot and folds the entries after
 * the checkpoint holds exactly the pinset the whole log folds to. Only the latest value of each
 * register is kept: heartbeats, states and re-pins of the past are gone, so what a new member loads
 * grows with the pinset and the members, not with the log.
 */
public final class PinsetSnapshot {
  public static final String TYPE = "cluster/pinset";

  /** Registers per chunk block (about 200 bytes each: chunks stay under 1 MiB). */
  static final int CHUNK = 4096;

  /** Chunks a snapshot may name (about 400 million registers). */
  static final int MAX_CHUNKS = 100_000;

  /**
   * The snapshot's own blocks for garbage collection: the root and its chunks. A chunk's registers
   * name pinned content and log entries, which the snapshot does not keep: pins keep the content,
   * the log its entries (ADR 026).
   */
  public static final StateLayout LAYOUT = StateLayout.rootAndChunks();

  private PinsetSnapshot() {}

  /** Writes {@code pinset}'s registers to {@code store}; returns the root's CID. */
  public static Cid write(Pinset pinset, Blockstore store) {
    List<Pinset.Register> registers = pinset.registers();
    List<Block> blocks = new ArrayList<>();
    List<IpldNode> chunks = new ArrayList<>();
    for (int i = 0; i < registers.size(); i += CHUNK) {
      List<IpldNode> items = new ArrayList<>();
      for (Pinset.Register r : registers.subList(i, Math.min(registers.size(), i + CHUNK))) {
        items.add(encode(r));
      }
      Block chunk = Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.list(items)));
      blocks.add(chunk);
      chunks.add(IpldNode.of(chunk.cid()));
    }
    Block root =
        Block.create(
            DagCbor.CODE,
            DagCbor.encode(
                IpldNode.map()
                    .put("type", TYPE)
                    .put("v", 1)
                    .put("registers", registers.size())
                    .put("chunks", IpldNode.list(chunks))
                    .build()));
    blocks.add(root);
    store.putAll(blocks);
    return root.cid();
  }

  /**
   * The pinset a snapshot holds, for the cluster log named by {@code manifest}.
   *
   * @throws ClusterException when a block is missing, does not hash to its CID or is malformed
   */
  public static Pinset read(LogManifest manifest, Cid root, Blockstore store) {
    IpldMap r = block(root, store).asMap();
    try {
      if (!TYPE.equals(r.get("type").map(IpldNode::asString).orElse(""))
          || r.get("v").map(IpldNode::asLong).orElse(0L) != 1) {
        throw new ClusterException(root + " is not a version-1 cluster pinset snapshot");
      }
      List<IpldNode> chunks = r.get("chunks").orElseThrow().asList();
      if (chunks.size() > MAX_CHUNKS) {
        throw new ClusterException("a pinset snapshot names at most " + MAX_CHUNKS + " chunks");
      }
      long expected = r.get("registers").orElseThrow().asLong();
      List<Pinset.Register> registers = new ArrayList<>();
      for (IpldNode c : chunks) {
        List<IpldNode> items = block(c.asLink(), store).asList();
        if (items.size() > CHUNK) {
          throw new ClusterException("a snapshot chunk holds at most " + CHUNK + " registers");
        }
        for (IpldNode item : items) {
          registers.add(decode(item.asMap()));
        }
      }
      if (registers.size() != expected) {
        throw new ClusterException(
            "snapshot " + root + " says " + expected + " registers, holds " + registers.size());
      }
      Pinset p = Pinset.of(manifest);
      p.restore(registers);
      return p;
    } catch (IllegalStateException | java.util.NoSuchElementException e) {
      throw new ClusterException("pinset snapshot " + root + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Copies the snapshot {@code root} from {@code from} (which may fetch from peers) into {@code
   * into}, checking every block against its CID before storing any. Each block is handed to {@code
   * protect} before it is looked up (a GC lease, ADR 032), so a collection running meanwhile either
   * deleted it before (and it is read from {@code from} again) or keeps it.
   *
   * @throws ClusterException when a block is missing, does not hash to its CID or is malformed
   */
  public static void copy(Cid root, Blockstore from, Blockstore into, Consumer<Multihash> protect) {
    List<Block> blocks = new ArrayList<>();
    protect.accept(root.multihash());
    Block r = held(root, from, into);
    List<IpldNode> chunks;
    try {
      chunks = DagCbor.decode(r.bytes()).asMap().get("chunks").orElseThrow().asList();
    } catch (CodecException | IllegalStateException | java.util.NoSuchElementException e) {
      throw new ClusterException("pinset snapshot " + root + " is malformed: " + e.getMessage(), e);
    }
    if (chunks.size() > MAX_CHUNKS) {
      throw new ClusterException("a pinset snapshot names at most " + MAX_CHUNKS + " chunks");
    }
    List<Cid> links = new ArrayList<>(chunks.size());
    for (IpldNode c : chunks) {
      links.add(c.asLink());
      protect.accept(c.asLink().multihash());
    }
    blocks.addAll(fetchAll(links, from, into));
    blocks.add(r);
    into.putAll(blocks);
  }

  /**
   * {@code cid} from {@code into} when it holds it, else from {@code from}: a root held here does
   * not mean its chunks are (a fetching store stores each block it fetches as it arrives), and a
   * damaged local copy is read from {@code from} again.
   */
  private static Block held(Cid cid, Blockstore from, Blockstore into) {
    return into.get(cid)
        .filter(b -> cid.multihash().matches(b.bytes()))
        .orElseGet(() -> checked(cid, from));
  }

  /** Chunks asked for at once when copying: each may be a round trip to a peer. */
  static final int PARALLEL_FETCHES = 8;

  /**
   * The blocks {@code cids}, checked, in order: up to {@link #PARALLEL_FETCHES} asked for at once,
   * since a fetching blockstore waits one round trip per block.
   */
  private static List<Block> fetchAll(List<Cid> cids, Blockstore from, Blockstore into) {
    if (cids.size() <= 1) {
      return cids.stream().map(c -> held(c, from, into)).toList();
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(PARALLEL_FETCHES, cids.size()),
            task -> {
              Thread t = new Thread(task, "tally-snapshot-fetch");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<Block>> pending = new ArrayList<>(cids.size());
      for (Cid c : cids) {
        pending.add(pool.submit(() -> held(c, from, into)));
      }
      List<Block> out = new ArrayList<>(cids.size());
      for (java.util.concurrent.Future<Block> f : pending) {
        out.add(f.get());
      }
      return out;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ClusterException("cannot fetch the pinset snapshot: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while fetching the pinset snapshot", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Block checked(Cid cid, Blockstore store) {
    Block b =
        store
            .get(cid)
            .orElseThrow(
                () -> new ClusterException("pinset snapshot block " + cid + " is missing"));
    if (!cid.multihash().matches(b.bytes())) {
      throw new ClusterException("pinset snapshot block " + cid + " does not match its CID");
    }
    return b;
  }

  private static IpldNode block(Cid cid, Blockstore store) {
    Block b = checked(cid, store);
    try {
      return DagCbor.decode(b.bytes());
    } catch (CodecException e) {
      throw new ClusterException("pinset snapshot block " + cid + ": " + e.getMessage(), e);
    }
  }

  private static IpldNode stamp(Stamp s) {
    List<IpldNode> parts = new ArrayList<>(List.of(IpldNode.of(s.time()), IpldNode.of(s.author())));
    if (s.cid() != null) {
      parts.add(IpldNode.of(s.cid()));
    }
    return IpldNode.list(parts);
  }

  private static Stamp stamp(IpldNode n) {
    List<IpldNode> parts = n.asList();
    if (parts.size() == 2 && parts.get(1).asBytes().length == 0 && parts.get(0).asLong() == 0) {
      return Stamp.ORIGIN;
    }
    if (parts.size() != 3) {
      throw new ClusterException("a register stamp is [time, author, entry]");
    }
    return new Stamp(parts.get(0).asLong(), parts.get(1).asBytes(), parts.get(2).asLink());
  }

  private static IpldNode encode(Pinset.Register r) {
    IpldMap.Builder b = IpldNode.map().put("s", stamp(r.stamp()));
    if (r instanceof Pinset.PinReg p) {
      b.put("k", "pin").put("cid", p.cid());
      p.pin().ifPresent(pin -> b.put("v", pin.toNode()));
    } else if (r instanceof Pinset.MemberReg m) {
      b.put("k", "member").put("peer", m.peer().bytes()).put("v", m.member());
    } else if (r instanceof Pinset.BeatReg h) {
      b.put("k", "beat").put("peer", h.peer().bytes()).put("v", h.beat().toNode());
    } else if (r instanceof Pinset.StateReg st) {
      b.put("k", "state").put("peer", st.peer().bytes()).put("v", st.state().toNode());
    } else if (r instanceof Pinset.AuditReg a) {
      b.put("k", "audit").put("v", a.audit().toNode());
    } else if (r instanceof Pinset.SettingsReg st) {
      b.put("k", "settings").put("v", st.settings().toNode());
    }
    return b.build();
  }

  private static Pinset.Register decode(IpldMap m) {
    Stamp s = stamp(m.get("s").orElseThrow());
    String kind = m.get("k").orElseThrow().asString();
    Optional<IpldNode> v = m.get("v");
    return switch (kind) {
      case "pin" ->
          new Pinset.PinReg(
              m.get("cid").orElseThrow().asLink(),
              s,
              v.map(n -> (PinRecord) record(n, PinRecord.class)));
      case "member" -> new Pinset.MemberReg(peer(m), s, v.orElseThrow().asBool());
      case "beat" -> new Pinset.BeatReg(peer(m), s, record(v.orElseThrow(), HeartbeatRecord.class));
      case "state" -> new Pinset.StateReg(peer(m), s, record(v.orElseThrow(), StateRecord.class));
      case "audit" -> new Pinset.AuditReg(s, record(v.orElseThrow(), AuditRecord.class));
      case "settings" -> new Pinset.SettingsReg(s, record(v.orElseThrow(), SettingsRecord.class));
      default -> throw new ClusterException("unknown snapshot register \"" + kind + "\"");
    };
  }

  private static <T extends ClusterRecord> T record(IpldNode n, Class<T> type) {
    ClusterRecord r = ClusterRecords.decode(n);
    if (!type.isInstance(r)) {
      throw new ClusterException("a snapshot register holds a " + r.getClass().getSimpleName());
    }
    return type.cast(r);
  }

  private static PeerId peer(IpldMap m) {
    try {
      return PeerId.fromBytes(m.get("peer").orElseThrow().asBytes());
    } catch (PeerIdFormatException e) {
      throw new ClusterException("a snapshot register names a bad peer id: " + e.getMessage(), e);
    }
  }
}
