package dev.tally.cluster.audit;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.ipld.Block;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The prover's side of one audit stream: answers requests one at a time, in order, from the local
 * blockstore only (never fetching: an audit asks what this node holds). Reads and the policy check
 * run on a worker; the stream is paused meanwhile, so a challenger cannot queue more than one frame
 * of work. The stream is reset on a malformed frame, on more than {@code maxRequestsPerStream}
 * requests and when no request comes within {@code answerTimeout}.
 */
final class AuditResponder {
  private static final System.Logger LOG = System.getLogger(AuditResponder.class.getName());

  private final Vertx vertx;
  private final Context ctx;
  private final Stream stream;
  private final Blockstore local;
  private final AuditPolicy policy;
  private final AuditSigner signer;
  private final AuditOptions options;
  private final Runnable done;
  private final FrameDecoder frames;
  private final PeerId peer;
  private int answered;
  private boolean busy;
  private boolean finished;
  private long idle = -1;

  AuditResponder(
      Vertx vertx,
      Stream stream,
      Blockstore local,
      AuditPolicy policy,
      AuditSigner signer,
      AuditOptions options,
      Runnable done) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.stream = stream;
    this.local = local;
    this.policy = policy;
    this.signer = signer;
    this.options = options;
    this.done = done;
    this.frames = new FrameDecoder(options.maxRequestBytes());
    this.peer = stream.connection().remotePeer();
  }

  void start() {
    // Created on the stream's context by the host's handler; events hop to ctx all the same, so
    // the state is confined to one thread whatever context the stream calls back on.
    stream.exceptionHandler(
        e -> ctx.runOnContext(v -> finish(true, "stream failed: " + e.getMessage())));
    stream.endHandler(x -> ctx.runOnContext(v -> finish(false, "")));
    stream.handler(
        data ->
            ctx.runOnContext(
                v -> {
                  try {
                    frames.feed(data);
                    drain();
                  } catch (RuntimeException e) {
                    finish(true, e.getMessage());
                  }
                }));
    armIdle();
    stream.resume();
  }

  private void armIdle() {
    if (idle >= 0) {
      vertx.cancelTimer(idle);
    }
    idle =
        vertx.setTimer(
            options.answerTimeout().toMillis(),
            id -> ctx.runOnContext(v -> finish(true, "no request within the timeout")));
  }

  private void drain() {
    if (busy || finished) {
      return;
    }
    Optional<byte[]> frame = frames.next();
    if (frame.isEmpty()) {
      return;
    }
    AuditRequest request = AuditCodec.decodeRequest(frame.get());
    if (++answered > options.maxRequestsPerStream()) {
      throw new AuditException(
          "more than " + options.maxRequestsPerStream() + " audit requests on one stream");
    }
    busy = true;
    stream.pause();
    ctx.<AuditAnswer>executeBlocking(() -> answer(request), false)
        .onComplete(
            ar -> {
              busy = false;
              if (finished) {
                return;
              }
              AuditAnswer a =
                  ar.succeeded()
                      ? ar.result()
                      : new AuditAnswer.Refused("cannot read: " + ar.cause().getMessage());
              stream.write(AuditCodec.encode(a));
              armIdle();
              stream.resume();
              try {
                drain();
              } catch (RuntimeException e) {
                finish(true, e.getMessage());
              }
            });
  }

  /**
   * On a worker: the policy, then the block from the local store, checked against its CID before it
   * is sent or proved (a signed answer over wrong bytes would be evidence against this node), then
   * signed.
   */
  private AuditAnswer answer(AuditRequest r) {
    Optional<String> refusal = policy.refusal(peer, r.cluster(), r.pin());
    if (refusal.isPresent()) {
      return new AuditAnswer.Refused(refusal.get());
    }
    Optional<Block> block = local.get(r.block());
    if (block.isEmpty() || !r.block().multihash().matches(block.get().bytes())) {
      return signer.missing(r);
    }
    byte[] bytes = block.get().bytes();
    return r.nonce().isPresent()
        ? signer.proof(r, AuditCodec.proof(r.nonce().get(), bytes))
        : signer.block(r, bytes);
  }

  private void finish(boolean reset, String why) {
    if (finished) {
      return;
    }
    finished = true;
    if (idle >= 0) {
      vertx.cancelTimer(idle);
    }
    if (reset) {
      LOG.log(Level.DEBUG, "audit stream from {0} reset: {1}", peer, why);
      stream.reset();
    } else {
      stream.end();
    }
    done.run();
  }

  /** A refusal frame, for a stream turned away before it is served. */
  static Buffer refuse(String why) {
    return AuditCodec.encode(new AuditAnswer.Refused(why));
  }
}
