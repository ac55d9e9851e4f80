package dev.tally.exchange;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.cluster.audit.AuditAnswer;
import dev.tally.cluster.audit.AuditCodec;
import dev.tally.cluster.audit.AuditException;
import dev.tally.cluster.audit.AuditRequest;
import dev.tally.exchange.dag.DagException;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.dag.DagRequest;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The DAG-CBOR control messages peers send: {@code /tally/dag} requests and cluster audit requests
 * and answers. Mutations of valid messages fail only with the protocol's own exception.
 */
class MalformedControlMessagePropertiesTest {

  @Property(tries = 300, seed = "4101")
  void mutatedDagRequestsFailOnlyWithDagException(@ForAll long seed) {
    Random r = new Random(seed);
    Cid root = cid(r);
    List<Cid> stop = r.nextBoolean() ? List.of() : List.of(cid(r), cid(r));
    byte[] valid = DagRequest.of(root, stop, 1 + r.nextInt(1000), DagOptions.MIN_CREDIT).encode();
    DagOptions limits = DagOptions.defaults();
    check(DagException.class, variant(valid, r), b -> DagRequest.decode(b, limits));
  }

  @Property(tries = 300, seed = "4102")
  void mutatedAuditMessagesFailOnlyWithAuditException(@ForAll long seed) {
    Random r = new Random(seed);
    AuditRequest request =
        new AuditRequest(
            cid(r),
            cid(r),
            cid(r),
            r.nextBoolean() ? Optional.of(randomBytes(r, 32)) : Optional.empty());
    AuditAnswer answer =
        switch (r.nextInt(4)) {
          case 0 -> new AuditAnswer.BlockBytes(randomBytes(r, 40), cid(r), randomBytes(r, 64));
          case 1 -> new AuditAnswer.Proof(randomBytes(r, 32), cid(r), randomBytes(r, 64));
          case 2 -> new AuditAnswer.Missing(cid(r), randomBytes(r, 64));
          default -> new AuditAnswer.Refused("busy");
        };
    check(
        AuditException.class,
        variant(body(AuditCodec.encode(request)), r),
        AuditCodec::decodeRequest);
    check(
        AuditException.class,
        variant(body(AuditCodec.encode(answer)), r),
        AuditCodec::decodeAnswer);
  }

  private static byte[] body(Buffer framed) {
    byte[] b = framed.getBytes();
    return Arrays.copyOfRange(b, Varint.decodedLength(b, 0, b.length), b.length);
  }

  private static Cid cid(Random r) {
    return Cid.v1(
        r.nextBoolean() ? Multicodec.RAW : Multicodec.DAG_PB, Multihash.sha256(randomBytes(r, 8)));
  }
}
