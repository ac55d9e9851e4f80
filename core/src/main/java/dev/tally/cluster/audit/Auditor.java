package dev.tally.cluster.audit;

import dev.tally.blockstore.Blockstore;
import dev.tally.cluster.AuditOutcome;
import dev.tally.cluster.Challenger;
import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit behaviour: serves {@code /tally/cluster/audit/2.0.0} on the host (answering as {@code
 * policy} allows, from {@code local}, signed by {@code signer}) and challenges peers on request. At
 * most {@code maxServing} audit streams are served at once; more are answered with a refusal and
 * closed.
 */
public final class Auditor implements Challenger, AutoCloseable {
  private final Vertx vertx;
  private final Host host;
  private final Blockstore local;
  private final AuditPolicy policy;
  private final AuditSigner signer;
  private final AuditOptions options;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger serving = new AtomicInteger();

  public Auditor(
      Vertx vertx,
      Host host,
      Blockstore local,
      AuditPolicy policy,
      AuditSigner signer,
      AuditOptions options) {
    this.vertx = vertx;
    this.host = host;
    this.local = local;
    this.policy = policy;
    this.signer = signer;
    this.options = options;
  }

  /** Starts answering audits. */
  public Auditor start() {
    host.setHandler(AuditCodec.PROTOCOL, this::inbound);
    return this;
  }

  private void inbound(Stream stream) {
    if (serving.incrementAndGet() > options.maxServing()) {
      serving.decrementAndGet();
      stream.write(AuditResponder.refuse(AuditCodec.BUSY));
      stream.end();
      return;
    }
    new AuditResponder(vertx, stream, local, policy, signer, options, serving::decrementAndGet)
        .start();
  }

  /**
   * Walks a random path of {@code pin} on {@code peer}. A peer that cannot be reached is
   * inconclusive; once the stream is open, any wrong, missing or late answer fails.
   */
  @Override
  public CompletionStage<AuditOutcome> challenge(PeerId peer, Cid cluster, Cid pin) {
    return host.newStream(peer, AuditCodec.PROTOCOL)
        .compose(
            s -> new AuditChallenge(vertx, s, local, options, random, cluster, pin).run(),
            e ->
                io.vertx.core.Future.succeededFuture(
                    AuditOutcome.inconclusive("cannot open an audit stream: " + e.getMessage())))
        .toCompletionStage();
  }

  /** Audit streams being served now. */
  public int serving() {
    return serving.get();
  }

  @Override
  public void close() {
    host.removeHandler(AuditCodec.PROTOCOL);
  }
}
