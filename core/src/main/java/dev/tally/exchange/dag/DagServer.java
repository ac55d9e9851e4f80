package dev.tally.exchange.dag;

import dev.tally.blockstore.Blockstore;
import dev.tally.car.CarHeader;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.exchange.network.Contexts;
import dev.tally.exchange.network.RateLimiter;
import dev.tally.exchange.network.Traffic;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Varint;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Answers {@code /tally/dag/1.0.0} requests: walks the DAG in the blockstore (reads on worker
 * threads, a batch at a time) and writes it as a CAR, never past the receiver's credit, the
 * stream's write queue or the node's upload cap. At most {@code maxServing} responses run at once;
 * more are refused with a status that says so. State lives on the exchange context.
 */
public final class DagServer {
  private static final System.Logger LOG = System.getLogger(DagServer.class.getName());

  /**
   * Block bytes read per worker hop, and read ahead of the socket. Not a config key: a batching
   * detail; {@code Internal.Dag.MaxConcurrentResponses} bounds the responses reading at once.
   */
  private static final long BATCH_BYTES = 4L * 1024 * 1024;

  private final Vertx vertx;
  private final Context ctx;
  private final Blockstore store;
  private final DagOptions options;
  private final RateLimiter upload;
  private final Traffic traffic;
  private int serving;
  private long blocksSent;
  private long bytesSent;

  public DagServer(
      Vertx vertx,
      Context ctx,
      Blockstore store,
      DagOptions options,
      RateLimiter upload,
      Traffic traffic) {
    this.traffic = traffic;
    this.vertx = vertx;
    this.ctx = ctx;
    this.store = store;
    this.options = options;
    this.upload = upload;
  }

  public void start(Host host) {
    host.setHandler(DagProtocol.ID, s -> Contexts.run(ctx, () -> new Response(s).start()));
  }

  public void stop(Host host) {
    host.removeHandler(DagProtocol.ID);
  }

  public long blocksSent() {
    return blocksSent;
  }

  public long bytesSent() {
    return bytesSent;
  }

  /**
   * A CAR section ready to write: its length prefix and CID, then the block's bytes as a view (no
   * copy; the layers below copy them once, into the encrypted frame).
   */
  private record Section(Buffer head, Buffer body) {
    static Section of(Block b) {
      byte[] cid = b.cid().bytes();
      int len = cid.length + b.size();
      Buffer head = Buffer.buffer(cid.length + Varint.MAX_LENGTH);
      head.appendBytes(Varint.encode(len));
      head.appendBytes(cid);
      return new Section(head, BufferInternal.buffer(Unpooled.wrappedBuffer(b.buffer())));
    }

    int length() {
      return head.length() + body.length();
    }
  }

  /** One request's answer; confined to the exchange context. */
  private final class Response {
    private final Stream stream;
    private final PeerId peer;
    private final FrameDecoder requestDecoder = new FrameDecoder(DagProtocol.MAX_CONTROL_FRAME);
    private final ArrayDeque<Section> outbox = new ArrayDeque<>();
    private Buffer grants = Buffer.buffer();
    private DagWalk walk;
    private long credit;
    private long outboxBytes;
    private boolean reading;
    private boolean counted;
    private boolean finished;
    private boolean waitingTimer;
    private long lastProgress = System.nanoTime();
    private long idleTimer = -1;

    Response(Stream stream) {
      this.stream = stream;
      this.peer = stream.connection().remotePeer();
    }

    void start() {
      stream.exceptionHandler(e -> Contexts.run(ctx, () -> abort("stream failed: " + e)));
      stream.closeFuture().onComplete(v -> Contexts.run(ctx, () -> abort("stream closed")));
      stream.handler(b -> Contexts.run(ctx, () -> onBytes(b)));
      stream.endHandler(v -> {});
      stream.resume();
      idleTimer =
          vertx.setPeriodic(
              Math.max(1, options.idleTimeout().toMillis() / 2),
              id -> Contexts.run(ctx, this::checkIdle));
    }

    private void onBytes(Buffer b) {
      if (finished) {
        return;
      }
      lastProgress = System.nanoTime();
      if (walk == null) {
        requestDecoder.feed(b);
        Optional<byte[]> frame;
        try {
          frame = requestDecoder.next();
        } catch (RuntimeException e) {
          refuse("bad request frame: " + e.getMessage());
          return;
        }
        if (frame.isEmpty()) {
          return;
        }
        onRequest(frame.get());
        if (requestDecoder.buffered() > 0) {
          Buffer rest = Buffer.buffer();
          // Grants sent right behind the request.
          rest.appendBuffer(b, b.length() - requestDecoder.buffered(), requestDecoder.buffered());
          onGrants(rest);
        }
        return;
      }
      onGrants(b);
    }

    private void onGrants(Buffer b) {
      grants.appendBuffer(b);
      int pos = 0;
      while (true) {
        int end = -1;
        for (int i = pos; i < Math.min(grants.length(), pos + Varint.MAX_LENGTH); i++) {
          if ((grants.getByte(i) & 0x80) == 0) {
            end = i + 1;
            break;
          }
        }
        if (end < 0) {
          if (grants.length() - pos >= Varint.MAX_LENGTH) {
            fail("malformed credit grant");
            return;
          }
          break;
        }
        credit += Varint.decode(grants.getBytes(pos, end), 0, end - pos);
        pos = end;
      }
      grants = grants.getBuffer(pos, grants.length());
      flush();
    }

    private void onRequest(byte[] frame) {
      DagRequest request;
      try {
        request = DagRequest.decode(frame, options);
      } catch (DagException e) {
        refuse(e.getMessage());
        return;
      }
      if (serving >= options.maxServing()) {
        refuse(
            "this node is answering "
                + serving
                + " DAG requests (its limit); retry later or use Bitswap");
        return;
      }
      serving++;
      counted = true;
      credit = request.credit();
      walk = new DagWalk(request, options.maxBlocks());
      byte[] header = new CarHeader(request.roots()).encode();
      // Status and header ride outside the credit: they are small and come before any block.
      stream.write(DagProtocol.ok());
      stream.write(DagProtocol.frame(header));
      flush();
    }

    /**
     * Sends queued sections while credit, the write queue and the upload cap allow, and reads the
     * next batch ahead while the queue runs low.
     */
    private void flush() {
      if (finished || walk == null || waitingTimer) {
        return;
      }
      while (!outbox.isEmpty()) {
        Section next = outbox.peek();
        int length = next.length();
        if (length > credit) {
          break;
        }
        if (stream.writeQueueFull()) {
          stream.drainHandler(v -> Contexts.run(ctx, this::flush));
          break;
        }
        long wait = upload.reserveMillis(length);
        outbox.poll();
        outboxBytes -= length;
        credit -= length;
        bytesSent += next.body().length();
        blocksSent++;
        traffic.sent(peer, 1, next.body().length());
        lastProgress = System.nanoTime();
        if (wait >= 1) {
          waitingTimer = true;
          Contexts.runAfter(
              vertx,
              ctx,
              wait,
              () -> {
                waitingTimer = false;
                if (!finished) {
                  write(next);
                  flush();
                }
              });
          return;
        }
        write(next);
      }
      if (reading) {
        return;
      }
      // The walk is only touched when no read is running on a worker.
      if (!walk.done() && outboxBytes < BATCH_BYTES) {
        readMore();
      } else if (walk.done() && outbox.isEmpty()) {
        finish();
      }
    }

    private void readMore() {
      if (reading) {
        return;
      }
      reading = true;
      DagWalk w = walk;
      vertx
          .executeBlocking(() -> w.next(store, BATCH_BYTES), false)
          .onComplete(
              ar ->
                  Contexts.run(
                      ctx,
                      () -> {
                        reading = false;
                        if (finished) {
                          return;
                        }
                        if (ar.failed()) {
                          fail("cannot read the DAG: " + ar.cause().getMessage());
                          return;
                        }
                        for (Block b : ar.result()) {
                          Section section = Section.of(b);
                          outbox.add(section);
                          outboxBytes += section.length();
                        }
                        flush();
                      }));
    }

    private void write(Section section) {
      stream.write(section.head());
      stream.write(section.body());
    }

    private void finish() {
      if (!finished) {
        release();
        stream.end();
      }
    }

    private void refuse(String why) {
      LOG.log(Level.DEBUG, "refusing a DAG request from {0}: {1}", peer, why);
      release();
      stream.write(DagProtocol.error(why));
      stream.end();
    }

    private void fail(String why) {
      LOG.log(Level.DEBUG, "DAG response to {0} failed: {1}", peer, why);
      release();
      stream.reset();
    }

    private void abort(String why) {
      if (!finished) {
        LOG.log(Level.DEBUG, "DAG response to {0} ended early: {1}", peer, why);
        release();
      }
    }

    private void checkIdle() {
      if (finished) {
        return;
      }
      if (System.nanoTime() - lastProgress > options.idleTimeout().toNanos()) {
        fail("no credit or request for " + options.idleTimeout().toMillis() + " ms");
      }
    }

    private void release() {
      finished = true;
      outbox.clear();
      outboxBytes = 0;
      vertx.cancelTimer(idleTimer);
      if (counted) {
        counted = false;
        serving--;
      }
    }
  }
}
