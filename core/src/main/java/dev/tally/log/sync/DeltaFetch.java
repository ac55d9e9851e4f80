package dev.tally.log.sync;

import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.log.JoinResult;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client side of one delta request on its own stream: sends {@code want}, then verifies and
 * stores the entries in groups of {@code joinEntries} on a worker while more arrive, pausing the
 * stream while two groups wait, so memory stays bounded by the options whatever the delta's size.
 * Every entry is checked by {@link Log#join} before it is stored; the batch's order (oldest first)
 * means each group's links resolve to entries already held. Runs on the stream's context; messages
 * are encoded and decoded on workers ({@link MessageReader}).
 */
final class DeltaFetch {
  /**
   * What a request brought.
   *
   * @param received entry blocks received
   * @param added entries verified and stored
   * @param rejected entries refused
   * @param complete whether the peer sent its whole delta (false: it capped it, ask again)
   */
  record Outcome(long received, long added, long rejected, boolean complete) {}

  private static final int MAX_WAITING_GROUPS = 2;

  private final Vertx vertx;
  private final SyncCodec codec;
  private final SyncOptions options;
  private final Stream stream;
  private final Log log;
  private final Consumer<JoinResult> joined;
  private final Consumer<Long> remaining;
  private final JoinGate gate;
  private final MessageReader reader;
  private final Promise<Outcome> done = Promise.promise();
  private List<byte[]> group = new ArrayList<>();
  private Future<Void> joins = Future.succeededFuture();
  private int waiting;
  private long received;
  private long added;
  private long rejected;
  private long idleTimer = -1;
  private boolean ended;

  DeltaFetch(
      Vertx vertx,
      SyncCodec codec,
      SyncOptions options,
      Stream stream,
      Log log,
      Consumer<JoinResult> joined,
      Consumer<Long> remaining,
      JoinGate gate) {
    this.gate = gate;
    this.vertx = vertx;
    this.codec = codec;
    this.options = options;
    this.stream = stream;
    this.log = log;
    this.joined = joined;
    this.remaining = remaining;
    this.reader = new MessageReader(vertx, codec, stream, options.maxMessageBytes());
  }

  Future<Outcome> run(SyncMessage.Want want) {
    stream.exceptionHandler(this::fail);
    reader.start(
        this::touch,
        m -> onMessage(m, want),
        v -> fail(new SyncException("the peer ended the stream before finishing the delta")),
        this::fail);
    touch();
    // Encoded on a worker like every message: a want lists up to 2 x maxCids CIDs.
    stream.write(codec.encode(want)).onFailure(this::fail);
    return done.future();
  }

  private void onMessage(SyncMessage m, SyncMessage.Want want) {
    if (m instanceof SyncMessage.Entries e) {
      received += e.blocks().size();
      if (received > want.max()) {
        throw new SyncException("the peer sent more than the " + want.max() + " entries asked for");
      }
      group.addAll(e.blocks());
      remaining.accept(e.remaining());
      if (group.size() >= options.joinEntries()) {
        submit();
      }
    } else if (m instanceof SyncMessage.Done d) {
      if (!d.error().isEmpty()) {
        throw new DeltaDeclinedException("the peer could not send the delta: " + d.error());
      }
      ended = true;
      submit();
      cancelTimer();
      reader.stop();
      boolean complete = received < want.max();
      joins
          .onSuccess(v -> done.tryComplete(new Outcome(received, added, rejected, complete)))
          .onFailure(this::fail);
      stream.close();
    } else {
      throw new SyncException("unexpected " + m.getClass().getSimpleName() + " during a delta");
    }
  }

  private void submit() {
    if (group.isEmpty()) {
      return;
    }
    List<byte[]> batch = group;
    group = new ArrayList<>();
    waiting++;
    if (waiting >= MAX_WAITING_GROUPS) {
      hold(true);
    }
    joins =
        joins.compose(
            v ->
                vertx
                    .executeBlocking(() -> join(batch), false)
                    .map(
                        r -> {
                          added += r.added().size();
                          rejected += r.rejected().size();
                          if (--waiting < MAX_WAITING_GROUPS && !done.future().isComplete()) {
                            hold(false);
                          }
                          return null;
                        }));
    joins.onFailure(this::fail);
  }

  /** On a worker: hashes the blocks, then lets the log verify and store what is valid. */
  private JoinResult join(List<byte[]> batch) {
    Map<Cid, Block> blocks = new HashMap<>(batch.size() * 2);
    List<Cid> cids = new ArrayList<>(batch.size());
    for (byte[] bytes : batch) {
      Block b = Block.create(DagCbor.CODE, bytes);
      blocks.put(b.cid(), b);
      cids.add(b.cid());
    }
    if (!gate.enter()) {
      throw new SyncException("log replication is closing");
    }
    try {
      JoinResult r = log.join(cids, c -> Optional.ofNullable(blocks.get(c)));
      joined.accept(r);
      return r;
    } finally {
      gate.exit();
    }
  }

  /**
   * Pauses the stream while verification is behind; the idle timer stops meanwhile, since the
   * silence is ours, not the peer's.
   */
  private void hold(boolean hold) {
    reader.hold(hold);
    if (hold) {
      cancelTimer();
    } else {
      touch();
    }
  }

  private void touch() {
    cancelTimer();
    if (ended) {
      return;
    }
    idleTimer =
        vertx.setTimer(
            options.idleTimeout().toMillis(),
            id ->
                fail(
                    new SyncException(
                        "the peer sent nothing for " + options.idleTimeout().toSeconds() + " s")));
  }

  private void cancelTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  void fail(Throwable e) {
    cancelTimer();
    reader.stop();
    if (done.tryFail(e)) {
      stream.reset();
    }
  }
}
