package dev.tally.log;

import static dev.tally.testing.Hostile.check;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.testing.HostileTrees;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The log's own records (checkpoints, endorsements, writer admissions) come from any writer:
 * mutated as trees, they are refused with {@link IllegalArgumentException}, never with the data
 * model's {@link IllegalStateException} or another exception from below.
 */
class HostileControlRecordPropertiesTest {

  @Property(tries = 400, seed = "4191")
  void mutatedControlRecordsFailOnlyWithIllegalArgumentException(@ForAll long seed) {
    Random r = new Random(seed);
    Cid a = Cid.v1(DagCbor.CODE, Multihash.sha256(new byte[] {(byte) r.nextInt()}));
    Cid b = Cid.v1(DagCbor.CODE, Multihash.sha256(new byte[] {(byte) r.nextInt(), 1}));
    IpldNode valid =
        switch (r.nextInt(3)) {
          case 0 ->
              CheckpointRecords.checkpoint(
                  new CheckpointRecords.Digest(
                      r.nextInt(1000),
                      List.of(a, b),
                      a,
                      r.nextBoolean() ? Optional.of(b) : Optional.empty()));
          case 1 -> CheckpointRecords.endorsement(a);
          default -> Admission.writerAdded(Forge.key(1 + r.nextInt(3)).publicKey());
        };
    IpldNode input = HostileTrees.variants(valid, r);
    check(
        IllegalArgumentException.class,
        DagCbor.encode(input),
        x -> {
          CheckpointRecords.digest(input);
          CheckpointRecords.endorsed(input);
          Admission.of(input);
        });
  }
}
