package dev.tally.cluster.audit;

import dev.tally.blockstore.Blockstore;
import dev.tally.cluster.AuditEvidence;
import dev.tally.cluster.AuditOutcome;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.ipld.Block;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The challenger's side of one audit stream: a random walk from the pin's root to a leaf. At each
 * step it asks for one block — a proof over a fresh nonce when it holds the block itself, else the
 * block, which it checks against its CID — then picks one of the block's links at random. Any
 * wrong, missing or late answer fails the audit; the challenger needs none of the data beforehand.
 * Its state lives on the context that created it; local reads and hashing run on workers.
 */
final class AuditChallenge {
  private final Context ctx;
  private final Vertx vertx;
  private final Stream stream;
  private final Blockstore local;
  private final AuditOptions options;
  private final SecureRandom random;
  private final Cid cluster;
  private final Cid pin;
  private final FrameDecoder frames;
  private final PeerId prover;
  private final Promise<AuditOutcome> result = Promise.promise();
  private Promise<AuditAnswer> waiting;
  private long timer = -1;
  private int steps;

  AuditChallenge(
      Vertx vertx,
      Stream stream,
      Blockstore local,
      AuditOptions options,
      SecureRandom random,
      Cid cluster,
      Cid pin) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.stream = stream;
    this.local = local;
    this.options = options;
    this.random = random;
    this.cluster = cluster;
    this.pin = pin;
    this.frames = new FrameDecoder(options.maxAnswerBytes());
    this.prover = stream.connection().remotePeer();
  }

  /** Walks the pin; completes with the outcome (never fails) and closes the stream. */
  Future<AuditOutcome> run() {
    // The stream's handlers may run on another event loop than ctx: every event hops to ctx, so
    // the walk's state is touched by one thread only.
    stream.exceptionHandler(
        e -> ctx.runOnContext(v -> fail("the stream failed: " + e.getMessage())));
    stream.endHandler(
        x -> ctx.runOnContext(v -> fail("the peer closed the stream before answering")));
    stream.handler(data -> ctx.runOnContext(v -> onData(data)));
    stream.resume();
    step(pin);
    return result.future();
  }

  private void onData(io.vertx.core.buffer.Buffer data) {
    try {
      frames.feed(data);
      Optional<byte[]> f = frames.next();
      if (f.isPresent()) {
        Promise<AuditAnswer> w = waiting;
        if (w == null && isBusy(AuditCodec.decodeAnswer(f.get()))) {
          done(AuditOutcome.inconclusive("the prover is busy"));
          return;
        }
        if (w == null) {
          throw new AuditException(
              "an answer nobody asked for (after "
                  + steps
                  + " requests, "
                  + f.get().length
                  + " bytes, done "
                  + result.future().isComplete()
                  + ")");
        }
        waiting = null;
        vertx.cancelTimer(timer);
        w.tryComplete(AuditCodec.decodeAnswer(f.get()));
      }
    } catch (RuntimeException e) {
      fail("a malformed answer: " + e.getMessage());
    }
  }

  private void step(Cid block) {
    steps++;
    ctx.<Optional<Block>>executeBlocking(() -> local.get(block), false)
        .onSuccess(mine -> ask(block, mine))
        .onFailure(e -> done(AuditOutcome.inconclusive("cannot read " + block + ": " + e)));
  }

  private void ask(Cid block, Optional<Block> mine) {
    Optional<byte[]> nonce = Optional.empty();
    if (mine.isPresent()) {
      byte[] n = new byte[AuditRequest.NONCE_BYTES];
      random.nextBytes(n);
      nonce = Optional.of(n);
    }
    Optional<byte[]> sent = nonce;
    waiting = Promise.promise();
    Future<AuditAnswer> answer = waiting.future();
    timer =
        vertx.setTimer(
            options.answerTimeout().toMillis(),
            id ->
                ctx.runOnContext(
                    v ->
                        fail(
                            "no answer for block "
                                + block
                                + " within "
                                + options.answerTimeout().toMillis()
                                + " ms")));
    stream.write(AuditCodec.encode(new AuditRequest(cluster, pin, block, nonce)));
    answer.onSuccess(
        a ->
            ctx.<Optional<AuditOutcome>>executeBlocking(() -> check(block, sent, mine, a), false)
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        fail("cannot check block " + block + ": " + ar.cause().getMessage());
                      } else if (ar.result().isPresent()) {
                        fail(ar.result().get());
                      } else {
                        next(block, a, mine);
                      }
                    }));
  }

  /**
   * On a worker: the failure the answer shows, if any. A signed answer is checked against the
   * prover's key first (ADR 026); a wrong one that is validly signed is kept as evidence.
   */
  private Optional<AuditOutcome> check(
      Cid block, Optional<byte[]> nonce, Optional<Block> mine, AuditAnswer a) {
    if (isBusy(a)) {
      return Optional.of(AuditOutcome.inconclusive("the prover is busy"));
    }
    if (a instanceof AuditAnswer.Refused r) {
      return Optional.of(AuditOutcome.failed("refused block " + block + ": " + r.reason()));
    }
    byte[] n = nonce.orElse(new byte[0]);
    AuditEvidence evidence;
    if (a instanceof AuditAnswer.BlockBytes b) {
      evidence =
          new AuditEvidence(
              block, n, AuditEvidence.BLOCK, AuditCodec.sha256(b.bytes()), b.member(), b.sig());
    } else if (a instanceof AuditAnswer.Proof p) {
      evidence = new AuditEvidence(block, n, AuditEvidence.PROOF, p.digest(), p.member(), p.sig());
    } else {
      AuditAnswer.Missing m = (AuditAnswer.Missing) a;
      evidence =
          new AuditEvidence(block, n, AuditEvidence.MISSING, new byte[0], m.member(), m.sig());
    }
    if (!evidence.signedBy(prover, cluster, pin)) {
      return Optional.of(
          AuditOutcome.failed(
              "the answer for block " + block + " is not signed by " + prover + "'s key"));
    }
    if (a instanceof AuditAnswer.Missing) {
      return Optional.of(
          AuditOutcome.failed("does not hold block " + block + " (signed)", evidence));
    }
    if (nonce.isPresent()) {
      if (!(a instanceof AuditAnswer.Proof p)) {
        return Optional.of(
            AuditOutcome.failed(
                "answered a proof request for block " + block + " with a block", evidence));
      }
      byte[] expected = AuditCodec.proof(nonce.get(), mine.orElseThrow().bytes());
      return MessageDigest.isEqual(expected, p.digest())
          ? Optional.empty()
          : Optional.of(AuditOutcome.failed("wrong proof for block " + block, evidence));
    }
    if (!(a instanceof AuditAnswer.BlockBytes b)) {
      return Optional.of(
          AuditOutcome.failed("answered a block request for " + block + " with a proof", evidence));
    }
    return block.multihash().matches(b.bytes())
        ? Optional.empty()
        : Optional.of(
            AuditOutcome.failed(
                "wrong bytes for block " + block + " (they do not hash to its CID)", evidence));
  }

  private void next(Cid block, AuditAnswer a, Optional<Block> mine) {
    byte[] bytes = mine.map(Block::bytes).orElseGet(() -> ((AuditAnswer.BlockBytes) a).bytes());
    List<Cid> links;
    try {
      links =
          Links.of(block.codec(), bytes).stream()
              .filter(c -> c.multihash().code() != Multicodec.IDENTITY)
              .toList();
    } catch (RuntimeException e) {
      links = List.of(); // a codec we cannot read links from: treat the block as a leaf
    }
    if (links.isEmpty() || steps >= options.maxRequestsPerStream()) {
      done(AuditOutcome.passed(steps + " blocks from root " + pin + " to " + block));
      return;
    }
    step(links.get(random.nextInt(links.size())));
  }

  private void fail(String why) {
    fail(AuditOutcome.failed(why));
  }

  /** A prover at its limit of audit streams turns new ones away: that says nothing about it. */
  private static boolean isBusy(AuditAnswer a) {
    return a instanceof AuditAnswer.Refused r && r.reason().equals(AuditCodec.BUSY);
  }

  private void fail(AuditOutcome failure) {
    if (failure.verdict() != AuditOutcome.Verdict.FAILED) {
      done(failure);
    } else if (stream.connection().isClosed() && failure.evidence().isEmpty()) {
      done(AuditOutcome.inconclusive("the connection closed: " + failure.detail()));
    } else {
      done(failure);
    }
  }

  private void done(AuditOutcome outcome) {
    if (!result.tryComplete(outcome)) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (waiting != null) {
      waiting.tryFail("the audit ended");
    }
    if (outcome.verdict() == AuditOutcome.Verdict.PASSED) {
      stream.end();
    } else {
      stream.reset();
    }
  }
}
