package dev.tally.cluster;

import static dev.tally.testing.Hostile.check;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogException;
import dev.tally.log.LogManifest;
import dev.tally.testing.HostileTrees;
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
  private static final List<ClusterRecord> KINDS = ClusterRecordsTest.everyKind();

  @Property(tries = 500, seed = "4181")
  void mutatedClusterRecordsFailOnlyWithClusterException(@ForAll long seed) {
    Random r = new Random(seed);
    IpldNode input = HostileTrees.variants(KINDS.get(r.nextInt(KINDS.size())).toNode(), r);
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
    byte[] bytes = DagCbor.encode(HostileTrees.variants(DagCbor.decode(valid.block().bytes()), r));
    Block block = Block.create(DagCbor.CODE, bytes);
    check(LogException.class, bytes, b -> LogManifest.fromBlock(block));
  }
}
