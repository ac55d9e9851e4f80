package dev.tally.cluster;

import static dev.tally.testing.Hostile.check;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogException;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.testing.HostileTrees;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Cluster records arrive in log entries from any member, and log manifests from any peer that
 * offers a log: mutated as trees (mistyped, missing and extra fields), they fail only with the
 * decoder's own exception.
 */
class HostileClusterRecordPropertiesTest {
  private static final Cid CID = Cid.parse("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u");
  private static final PeerId PEER =
      PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[32]).publicKey());
  private static final List<ClusterRecord> KINDS =
      List.of(
          PinRecord.of(CID, "report.pdf", 1, 3),
          new UnpinRecord(CID),
          new UpdateRecord(CID, PinRecord.of(CID, "v2", 2, 5)),
          new LeaveRecord(PEER),
          new HeartbeatRecord(1_700_000_000_000L, 5L << 30),
          new StateRecord(CID, PinState.FAILED, "no peer sent block x"),
          new SettingsRecord(Duration.ofSeconds(5), Duration.ofSeconds(20), 7),
          new AuditRecord(PEER, CID, "wrong bytes"));

  @Property(tries = 500, seed = "4181")
  void mutatedClusterRecordsFailOnlyWithClusterException(@ForAll long seed) {
    Random r = new Random(seed);
    IpldNode tree = KINDS.get(r.nextInt(KINDS.size())).toNode();
    for (int i = r.nextInt(3); i >= 0; i--) {
      tree = HostileTrees.variant(tree, r);
    }
    IpldNode input = tree;
    check(ClusterException.class, DagCbor.encode(input), b -> ClusterRecords.decode(input));
  }

  @Property(tries = 300, seed = "4182")
  void mutatedManifestsFailOnlyWithLogException(@ForAll long seed) {
    Random r = new Random(seed);
    LogManifest valid =
        LogManifest.create(
            "loans",
            1,
            List.of(
                Ed25519PrivateKey.fromSeed(new byte[32]).publicKey(),
                Ed25519PrivateKey.fromSeed(
                        new byte[] {
                          1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0
                        })
                    .publicKey()),
            0,
            List.of());
    IpldNode tree = DagCbor.decode(valid.block().bytes());
    for (int i = r.nextInt(3); i >= 0; i--) {
      tree = HostileTrees.variant(tree, r);
    }
    byte[] bytes = DagCbor.encode(tree);
    Block block = Block.create(DagCbor.CODE, bytes);
    check(LogException.class, bytes, b -> LogManifest.fromBlock(block));
  }
}
