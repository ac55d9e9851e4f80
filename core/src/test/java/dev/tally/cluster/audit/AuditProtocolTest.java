package dev.tally.cluster.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.AuditEvidence;
import dev.tally.cluster.AuditOutcome;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.Raw;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.Varint;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit wire format and the prover's limits, against a real libp2p stream. */
class AuditProtocolTest {
  private static final Cid CLUSTER =
      Cid.parse("bafyreiffouxx66ngy52izaajtk7bz56ebo6c5abdomiinmzvairzvrgtwq");
  private static final Block BLOCK =
      Block.create(Raw.CODE, "audited bytes".getBytes(StandardCharsets.UTF_8));

  private final Vertx vertx = Vertx.vertx();
  private BasicHost prover;
  private BasicHost challenger;

  @AfterEach
  void close() throws Exception {
    for (BasicHost h : new BasicHost[] {prover, challenger}) {
      if (h != null) {
        h.close().await(10, TimeUnit.SECONDS);
      }
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  private static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[31] = 5;
    return Ed25519PrivateKey.fromSeed(s);
  }

  /** A prover holding BLOCK that answers members only, and a challenger connected to it. */
  private Auditor connect(AuditPolicy policy, AuditOptions options) throws Exception {
    return connect(policy, options, key(1));
  }

  /** As above, the prover signing its answers with {@code signingKey}. */
  private Auditor connect(AuditPolicy policy, AuditOptions options, Ed25519PrivateKey signingKey)
      throws Exception {
    MemoryBlockstore store = new MemoryBlockstore();
    store.put(BLOCK);
    prover = BasicHost.create(vertx, key(1), HostOptions.defaults());
    await(prover.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    new Auditor(vertx, prover, store, policy, new AuditSigner(signingKey, c -> c), options).start();
    challenger = BasicHost.create(vertx, key(2), HostOptions.defaults());
    await(challenger.dial(prover.listenAddresses().get(0).encapsulate("/p2p/" + prover.peerId())));
    return new Auditor(
        vertx,
        challenger,
        new MemoryBlockstore(),
        policy,
        new AuditSigner(key(2), c -> c),
        options);
  }

  @Test
  void aProofIsSha256OfTheNonceThenTheBlock() throws Exception {
    // SHA-256("abc"), FIPS 180-2 appendix B.1: nonce "a", block "bc".
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HexFormat.of().formatHex(AuditCodec.proof(new byte[] {'a'}, new byte[] {'b', 'c'})));
    byte[] nonce = new byte[32];
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(nonce);
    assertArrayEquals(sha.digest(BLOCK.bytes()), AuditCodec.proof(nonce, BLOCK.bytes()));
  }

  @Test
  void requestsAndAnswersRoundTripAndMalformedOnesAreRefused() {
    byte[] nonce = new byte[32];
    nonce[3] = 9;
    AuditRequest r = new AuditRequest(CLUSTER, BLOCK.cid(), BLOCK.cid(), Optional.of(nonce));
    AuditRequest back = AuditCodec.decodeRequest(body(AuditCodec.encode(r)));
    assertEquals(r.block(), back.block());
    assertArrayEquals(nonce, back.nonce().orElseThrow());
    assertInstanceOf(
        AuditAnswer.Refused.class,
        AuditCodec.decodeAnswer(body(AuditCodec.encode(new AuditAnswer.Refused("no")))));
    AuditAnswer.Missing m =
        assertInstanceOf(
            AuditAnswer.Missing.class,
            AuditCodec.decodeAnswer(
                body(AuditCodec.encode(new AuditAnswer.Missing(CLUSTER, new byte[64])))));
    assertEquals(CLUSTER, m.member());
    assertThrows(
        AuditException.class,
        () ->
            AuditCodec.decodeAnswer(
                DagCbor.encode(IpldNode.map().put("proof", new byte[32]).build())),
        "an unsigned proof is malformed");

    AuditException extra =
        assertThrows(
            AuditException.class,
            () ->
                AuditCodec.decodeRequest(
                    DagCbor.encode(
                        IpldNode.map()
                            .put("cluster", CLUSTER)
                            .put("pin", CLUSTER)
                            .put("block", CLUSTER)
                            .put("please", "x")
                            .build())));
    assertTrue(extra.getMessage().contains("\"please\""), extra.getMessage());
    assertThrows(
        AuditException.class,
        () ->
            AuditCodec.decodeRequest(
                DagCbor.encode(
                    IpldNode.map()
                        .put("cluster", CLUSTER)
                        .put("pin", CLUSTER)
                        .put("block", CLUSTER)
                        .put("nonce", new byte[5])
                        .build())));
    assertThrows(
        AuditException.class,
        () -> AuditCodec.decodeRequest(DagCbor.encode(IpldNode.map().put("pin", CLUSTER).build())));
    assertThrows(
        AuditException.class,
        () ->
            AuditCodec.decodeAnswer(
                DagCbor.encode(
                    IpldNode.map().put("block", new byte[1]).put("error", "both").build())));
    assertThrows(
        AuditException.class,
        () ->
            AuditCodec.decodeAnswer(
                DagCbor.encode(IpldNode.map().put("proof", new byte[31]).build())));
    assertThrows(AuditException.class, () -> AuditCodec.decodeAnswer(new byte[] {(byte) 0xff}));
  }

  private static byte[] body(Buffer frame) {
    byte[] all = frame.getBytes();
    int header = Varint.encodedLength(Varint.decode(all, 0, all.length));
    byte[] out = new byte[all.length - header];
    System.arraycopy(all, header, out, 0, out.length);
    return out;
  }

  @Test
  void aHeldBlockPassesAndAMissingRootFailsWithTheProversSignedAnswer() throws Exception {
    Auditor c = connect((peer, cluster, pin) -> Optional.empty(), AuditOptions.defaults());
    AuditOutcome ok =
        c.challenge(prover.peerId(), CLUSTER, BLOCK.cid())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(AuditOutcome.Verdict.PASSED, ok.verdict(), ok.detail());
    Cid absent = Block.create(Raw.CODE, new byte[] {1}).cid();
    AuditOutcome missing =
        c.challenge(prover.peerId(), CLUSTER, absent)
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(AuditOutcome.Verdict.FAILED, missing.verdict());
    assertTrue(missing.detail().contains("does not hold block"), missing.detail());
    AuditEvidence e = missing.evidence().orElseThrow();
    assertEquals(AuditEvidence.MISSING, e.answer());
    assertTrue(e.signedBy(prover.peerId(), CLUSTER, absent));
    assertTrue(
        e.provesFailure(prover.peerId(), CLUSTER, absent, CLUSTER),
        "a signed missing root proves the failure to anyone");
    assertFalse(e.signedBy(challenger.peerId(), CLUSTER, absent), "not under another member's key");
  }

  @Test
  void anAnswerNotSignedByTheProversKeyFailsWithoutEvidence() throws Exception {
    Auditor c = connect((peer, cluster, pin) -> Optional.empty(), AuditOptions.defaults(), key(9));
    AuditOutcome o =
        c.challenge(prover.peerId(), CLUSTER, BLOCK.cid())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(AuditOutcome.Verdict.FAILED, o.verdict(), o.detail());
    assertTrue(o.detail().contains("is not signed by"), o.detail());
    assertTrue(o.evidence().isEmpty());
  }

  @Test
  void aProverAnswersOnlyWhomItsPolicyAllows() throws Exception {
    Auditor c =
        connect(
            (peer, cluster, pin) -> Optional.of(peer + " is not a member of cluster " + cluster),
            AuditOptions.defaults());
    AuditOutcome o =
        c.challenge(prover.peerId(), CLUSTER, BLOCK.cid())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(AuditOutcome.Verdict.FAILED, o.verdict());
    assertTrue(o.detail().contains("is not a member of cluster"), o.detail());
  }

  @Test
  void aPeerWithoutTheProtocolIsInconclusiveNotFailed() throws Exception {
    Auditor c = connect((peer, cluster, pin) -> Optional.empty(), AuditOptions.defaults());
    prover.removeHandler(AuditCodec.PROTOCOL);
    AuditOutcome o =
        c.challenge(prover.peerId(), CLUSTER, BLOCK.cid())
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(AuditOutcome.Verdict.INCONCLUSIVE, o.verdict(), o.detail());
  }

  /**
   * Writes {@code data} on a fresh audit stream; completes with what came back before it closed.
   */
  private Future<Buffer> raw(Buffer data) {
    Promise<Buffer> got = Promise.promise();
    Buffer answers = Buffer.buffer();
    challenger
        .newStream(prover.peerId(), AuditCodec.PROTOCOL)
        .onSuccess(
            (Stream s) -> {
              s.handler(answers::appendBuffer);
              s.endHandler(v -> got.tryComplete(answers));
              s.exceptionHandler(e -> got.tryComplete(answers));
              s.closeFuture().onComplete(v -> got.tryComplete(answers));
              s.write(data);
            })
        .onFailure(got::tryFail);
    return got.future();
  }

  @Test
  void anOversizedRequestAndTooManyRequestsAreCutOff() throws Exception {
    AuditOptions small = new AuditOptions(256, 1024 * 1024, 2, Duration.ofSeconds(2), 16);
    connect((peer, cluster, pin) -> Optional.empty(), small);

    Buffer huge = Buffer.buffer(Varint.encode(100_000)).appendBytes(new byte[300]);
    assertEquals(0, await(raw(huge)).length(), "nothing answered to an oversized frame");

    Buffer three = Buffer.buffer();
    for (int i = 0; i < 3; i++) {
      three.appendBuffer(
          AuditCodec.encode(new AuditRequest(CLUSTER, BLOCK.cid(), BLOCK.cid(), Optional.empty())));
    }
    byte[] answered = await(raw(three)).getBytes();
    int at = 0;
    for (int i = 0; i < 2; i++) {
      long len = Varint.decode(answered, at, answered.length);
      at += Varint.encodedLength(len);
      byte[] frame = java.util.Arrays.copyOfRange(answered, at, at + (int) len);
      at += (int) len;
      AuditAnswer.BlockBytes b =
          assertInstanceOf(AuditAnswer.BlockBytes.class, AuditCodec.decodeAnswer(frame));
      assertArrayEquals(BLOCK.bytes(), b.bytes());
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(BLOCK.bytes());
      assertTrue(
          new AuditEvidence(
                  BLOCK.cid(), new byte[0], AuditEvidence.BLOCK, digest, b.member(), b.sig())
              .signedBy(prover.peerId(), CLUSTER, BLOCK.cid()),
          "each answer is signed by the prover");
    }
    assertEquals(answered.length, at, "two answers, then the stream is reset");
  }
}
