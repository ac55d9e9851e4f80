package dev.tally.log;

import dev.tally.car.CarException;
import dev.tally.car.CarReader;
import dev.tally.car.CarWriter;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a new replica needs to start from a final checkpoint, as one CARv1 checkable offline: roots
 * {@code [checkpoint]}; blocks: the manifest, the checkpoint entry, the endorsement entries, then
 * the checkpoint's order index (root, chunks). Reading it re-hashes every block, checks each
 * endorsement's signature against the manifest's signers and its link to the checkpoint, counts the
 * distinct signers (the checkpoint's author too, when a signer) against the manifest's quorum and
 * reads the covered CIDs from the order index, whose length must be the stated count.
 */
public final class CheckpointBundle {
  /** Endorsements beyond any quorum a manifest can ask for are refused. */
  private static final int MAX_ENDORSEMENTS = 2 * LogManifest.MAX_KEYS;

  private CheckpointBundle() {}

  /**
   * Writes the bundle of {@code checkpoint}, which must be final in {@code log}; recomputes and
   * stores its order index when this replica lacks it.
   *
   * @throws LogException when it is not a final checkpoint of the log
   */
  public static void write(Log log, Cid checkpoint, OutputStream out) throws IOException {
    Checkpoint c =
        log.checkpoints()
            .get(checkpoint)
            .filter(Checkpoint::isFinal)
            .orElseThrow(
                () -> new LogException(checkpoint + " is not a final checkpoint of " + log.id()));
    if (!log.store().has(c.index())) {
      // Only the proposer and endorsers stored the index when they computed it; any replica that
      // holds the covered history recomputes it, so every member can offer the checkpoint.
      OrderIndex.Built index = OrderIndex.build(log.graph().pastInLamportOrder(c.heads()));
      if (!index.root().equals(c.index())) {
        throw new LogException(
            "final checkpoint "
                + checkpoint
                + " states order index "
                + c.index()
                + ", this replica computes "
                + index.root()
                + " (run verify)");
      }
      log.store().putAll(index.blocks());
    }
    CarWriter car = CarWriter.open(out, List.of(checkpoint));
    car.write(log.manifest().block());
    car.write(block(log, checkpoint));
    for (Cid e : c.endorsements()) {
      car.write(block(log, e));
    }
    car.write(block(log, c.index()));
    for (dev.tally.ipld.IpldNode chunk :
        dev.tally.ipld.DagCbor.decode(block(log, c.index()).bytes())
            .asMap()
            .get("chunks")
            .orElseThrow()
            .asList()) {
      car.write(block(log, chunk.asLink()));
    }
    car.flush();
  }

  private static Block block(Log log, Cid cid) {
    return log.store()
        .get(cid)
        .orElseThrow(() -> new LogException("block " + cid + " is missing from the blockstore"));
  }

  /**
   * Reads and checks a bundle of the log {@code logId} (its manifest is read from the bundle).
   *
   * @param maxEntries most covered entries accepted
   * @throws LogException naming what does not hold
   */
  public static FinalCheckpoint read(InputStream in, Cid logId, long maxEntries)
      throws IOException {
    Map<Cid, Block> blocks = new LinkedHashMap<>();
    List<Cid> roots;
    try (CarReader car = CarReader.open(in)) {
      roots = car.roots();
      Optional<Block> b;
      while ((b = car.next()).isPresent()) {
        Block block = b.get();
        if (!block.cid().multihash().matches(block.bytes())) {
          throw new LogException("block " + block.cid() + " does not hash to its CID");
        }
        blocks.put(block.cid(), block);
        if (blocks.size() > MAX_ENDORSEMENTS + OrderIndex.MAX_CHUNKS + 3) {
          throw new LogException("a checkpoint bundle holds too many blocks");
        }
      }
    } catch (CarException e) {
      throw new LogException("the checkpoint bundle is not a valid CAR: " + e.getMessage(), e);
    }
    if (roots.size() != 1) {
      throw new LogException("a checkpoint bundle has one root, the checkpoint; found " + roots);
    }
    LogManifest manifest =
        LogManifest.fromBlock(
            Optional.ofNullable(blocks.get(logId))
                .orElseThrow(() -> new LogException("the bundle lacks the manifest of " + logId)));
    Cid cid = roots.get(0);
    Entry c =
        Entry.decodeUntrusted(
            Optional.ofNullable(blocks.get(cid))
                .orElseThrow(() -> new LogException("the bundle lacks the checkpoint " + cid)));
    if (!c.log().equals(logId)) {
      throw new LogException("checkpoint " + cid + " belongs to log " + c.log());
    }
    CheckpointRecords.Digest digest;
    try {
      digest =
          CheckpointRecords.digest(c.record())
              .orElseThrow(() -> new LogException("entry " + cid + " is not a checkpoint"));
    } catch (IllegalArgumentException e) {
      throw new LogException("checkpoint " + cid + " is malformed: " + e.getMessage(), e);
    }
    if (!digest.heads().equals(c.next())) {
      throw new LogException("checkpoint " + cid + " states heads other than its next");
    }
    Map<ByteBuffer, Ed25519PublicKey> signers = new HashMap<>();
    List<Cid> endorsements = new ArrayList<>();
    if (manifest.isSigner(c.author())) {
      c.verifySignature(manifest);
      signers.put(ByteBuffer.wrap(c.author()), manifest.writer(c.author()).orElseThrow());
    }
    for (Block b : blocks.values()) {
      if (b.cid().equals(cid) || b.cid().equals(logId)) {
        continue;
      }
      Entry e;
      try {
        e = Entry.decodeUntrusted(b);
      } catch (LogVerificationException notAnEntry) {
        continue; // the order index's blocks
      }
      Optional<Cid> endorsed;
      try {
        endorsed = CheckpointRecords.endorsed(e.record());
      } catch (IllegalArgumentException malformed) {
        throw new LogException(
            "endorsement " + e.cid() + " is malformed: " + malformed.getMessage());
      }
      if (endorsed.isEmpty() || !endorsed.get().equals(cid) || !e.next().contains(cid)) {
        throw new LogException("entry " + e.cid() + " in the bundle does not endorse " + cid);
      }
      e.verifySignature(manifest);
      if (signers.putIfAbsent(
              ByteBuffer.wrap(e.author()), manifest.writer(e.author()).orElseThrow())
          == null) {
        endorsements.add(e.cid());
      }
    }
    if (signers.size() < manifest.quorum()) {
      throw new LogException(
          "checkpoint "
              + cid
              + " is signed by "
              + signers.size()
              + " of the manifest's signers; the quorum is "
              + manifest.quorum());
    }
    List<Cid> covered =
        OrderIndex.read(digest.index(), x -> Optional.ofNullable(blocks.get(x)), maxEntries);
    if (covered.size() != digest.count()) {
      throw new LogException(
          "checkpoint "
              + cid
              + " states "
              + digest.count()
              + " entries, its index lists "
              + covered.size());
    }
    java.util.Set<Cid> set = new java.util.HashSet<>(covered);
    if (set.size() != covered.size() || !set.containsAll(digest.heads())) {
      throw new LogException("the order index of " + cid + " repeats entries or lacks its heads");
    }
    List<Ed25519PublicKey> keys = new ArrayList<>(signers.values());
    keys.sort((x, y) -> java.util.Arrays.compareUnsigned(x.raw(), y.raw()));
    Checkpoint view =
        new Checkpoint(
            cid,
            Ed25519PublicKey.of(c.author()),
            c.time(),
            digest,
            keys,
            endorsements,
            manifest.quorum(),
            Checkpoint.Status.FINAL);
    return new FinalCheckpoint(manifest, view, covered);
  }
}
