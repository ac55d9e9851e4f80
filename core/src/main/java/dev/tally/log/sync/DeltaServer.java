package dev.tally.log.sync;

import dev.tally.ipld.Block;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers one {@code want} on its stream: computes the delta (oldest first) on a worker, then sends
 * it in batches read from the blockstore on a worker, each written only once the stream has room
 * for it, and ends with {@code done}. Runs on the stream's context; reading and encoding the
 * batches happen on workers, one batch at a time, so batches go out in order.
 */
final class DeltaServer {
  private final Vertx vertx;
  private final SyncCodec codec;
  private final SyncOptions options;
  private final Stream stream;
  private final Log log;
  private final Runnable finished;
  private List<Cid> delta = List.of();
  private int next;

  DeltaServer(
      Vertx vertx,
      SyncCodec codec,
      SyncOptions options,
      Stream stream,
      Log log,
      Runnable finished) {
    this.vertx = vertx;
    this.codec = codec;
    this.options = options;
    this.stream = stream;
    this.log = log;
    this.finished = finished;
  }

  void serve(SyncMessage.Want want) {
    int max = (int) Math.min(want.max(), options.maxDeltaEntries());
    stream.exceptionHandler(e -> finish());
    vertx
        .executeBlocking(() -> log.delta(want.want(), want.have(), max), false)
        .onSuccess(
            d -> {
              delta = d;
              pump();
            })
        .onFailure(
            e -> end(new SyncMessage.Done(0, "cannot compute the delta: " + e.getMessage())));
  }

  private void pump() {
    if (finishedOnce) {
      return; // the stream failed: stop reading for it
    }
    if (next == delta.size()) {
      end(new SyncMessage.Done(delta.size(), ""));
      return;
    }
    if (stream.writeQueueFull()) {
      stream.drainHandler(v -> pump());
      return;
    }
    int from = next;
    readBatch(from)
        .onSuccess(
            batch -> {
              next = from + batch.entries();
              stream.write(batch.message()).onFailure(e -> finish());
              pump();
            })
        .onFailure(e -> end(new SyncMessage.Done(from, "cannot read entries: " + e.getMessage())));
  }

  /** A batch message, encoded, with the number of entries in it. */
  private record Batch(Buffer message, int entries) {}

  /**
   * On a worker: reads the next entries from the store, up to the batch limits, and encodes them as
   * one message (a 1 MiB batch is a millisecond of CBOR the event loop must not spend).
   */
  private Future<Batch> readBatch(int from) {
    return vertx.executeBlocking(
        () -> {
          List<byte[]> out = new ArrayList<>();
          long bytes = 0;
          for (int i = from; i < delta.size() && out.size() < options.maxBatchEntries(); i++) {
            Cid c = delta.get(i);
            Block b =
                log.store()
                    .get(c)
                    .orElseThrow(
                        () -> new SyncException("entry " + c + " vanished from the store"));
            if (!out.isEmpty() && bytes + b.size() > options.maxBatchBytes()) {
              break;
            }
            out.add(b.bytes());
            bytes += b.size();
          }
          int next = from + out.size();
          return new Batch(
              codec.encode(new SyncMessage.Entries(out, delta.size() - next)), out.size());
        },
        false);
  }

  private void end(SyncMessage.Done done) {
    stream.write(codec.encode(done));
    stream.end();
    finish();
  }

  private boolean finishedOnce;

  private void finish() {
    if (!finishedOnce) {
      finishedOnce = true;
      finished.run();
    }
  }
}
