package dev.tally.exchange.dag;

import dev.tally.car.CarHeader;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.exchange.network.Contexts;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.multiformats.Varint;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to one DAG request, as a stream of verified blocks: each block hashes to its CID (on a
 * worker thread) and was named by the request or by a link of a block before it, or the response
 * fails and the stream is reset. Credit is granted only for blocks handed to the handler, so a
 * paused reader stops the sender after one window. Handlers run on the exchange context; the
 * methods may be called from any thread.
 */
public final class DagResponse implements ReadStream<Block> {
  /**
   * Section bytes verified per worker hop. Not a config key: a batching detail under the credit
   * window ({@code Internal.Dag.CreditWindow}), which is the bound that matters (ADR 038).
   */
  private static final long VERIFY_BATCH = 1024 * 1024;

  private record Expected(Cid cid, int depth) {}

  private record Ready(Block block, long wireBytes, int depth, List<Cid> links) {}

  private record Parsed(Block block, long wireBytes, List<Cid> links) {}

  /** A CAR section as it arrived: its CID (read on the event loop) and the unchecked bytes. */
  private record Section(Cid cid, byte[] data, long wireBytes) {}

  /**
   * Bytes of a section that may hold its CID; longer CIDs are refused. Not a config key: every CID
   * this node can decode (digests of at most 256 bytes) fits, so more bytes are garbage (ADR 038).
   */
  private static final int MAX_CID_BYTES = 512;

  private enum State {
    STATUS,
    HEADER,
    SECTIONS
  }

  private final Vertx vertx;
  private final Context ctx;
  private final PeerId peer;
  private final DagRequest request;
  private final FrameDecoder decoder;
  private final Map<Multihash, Expected> expected = new LinkedHashMap<>();
  private final Set<Multihash> received = new HashSet<>();
  private final Set<Multihash> stop = new HashSet<>();
  private final ArrayDeque<Section> raw = new ArrayDeque<>();
  private final ArrayDeque<Ready> ready = new ArrayDeque<>();
  private final Promise<DagSummary> result = Promise.promise();
  private Stream stream;
  private State state = State.STATUS;
  private Handler<Block> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean verifying;
  private boolean ended;
  private long granted;
  private long arrived;
  private long consumed;
  private long blocks;
  private long bytes;

  DagResponse(Vertx vertx, Context ctx, PeerId peer, DagRequest request, int maxBlockSize) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.peer = peer;
    this.request = request;
    this.decoder = new FrameDecoder(maxBlockSize + 512);
    this.granted = request.credit();
    for (Cid c : request.stop()) {
      stop.add(c.multihash());
    }
    for (Cid c : request.roots()) {
      expect(c, 0);
    }
  }

  /** Completes with the summary once the sender ended the CAR and every block was handed on. */
  public Future<DagSummary> result() {
    return result.future();
  }

  public PeerId peer() {
    return peer;
  }

  /** Stops the transfer: the stream is reset and {@link #result()} fails. */
  public void cancel() {
    Contexts.run(
        ctx, () -> fail(new DagException("the DAG request to " + peer + " was cancelled")));
  }

  void open(Future<Stream> opening) {
    Contexts.on(ctx, opening)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(
                    new DagException(
                        "cannot open "
                            + DagProtocol.ID
                            + " to "
                            + peer
                            + ": "
                            + ar.cause().getMessage(),
                        ar.cause()));
                return;
              }
              stream = ar.result();
              if (result.future().isComplete()) {
                stream.reset();
                return;
              }
              stream.handler(b -> Contexts.run(ctx, () -> onBytes(b)));
              stream.endHandler(v -> Contexts.run(ctx, this::onEnd));
              stream.exceptionHandler(
                  e ->
                      Contexts.run(
                          ctx, () -> fail(new DagException("DAG stream from " + peer + ": " + e))));
              stream
                  .closeFuture()
                  .onComplete(
                      v ->
                          Contexts.run(
                              ctx,
                              () -> {
                                if (!ended) {
                                  fail(
                                      new DagException(
                                          "DAG stream from "
                                              + peer
                                              + " closed before the CAR ended"));
                                }
                              }));
              stream.write(DagProtocol.frame(request.encode()));
              stream.resume();
            });
  }

  private void expect(Cid c, int depth) {
    Multihash mh = c.multihash();
    if (!mh.isIdentity() && !stop.contains(mh) && !received.contains(mh)) {
      expected.putIfAbsent(mh, new Expected(c, depth));
    }
  }

  private void onBytes(Buffer b) {
    if (result.future().isComplete()) {
      return;
    }
    try {
      decoder.feed(b);
      while (!result.future().isComplete()) {
        if (state == State.SECTIONS) {
          Optional<byte[][]> s = decoder.nextSplit(MAX_CID_BYTES, DagResponse::cidLength);
          if (s.isEmpty()) {
            break;
          }
          onSection(s.get()[0], s.get()[1]);
        } else {
          Optional<byte[]> f = decoder.next();
          if (f.isEmpty()) {
            break;
          }
          onFrame(f.get());
        }
      }
    } catch (DagException e) {
      fail(e);
      return;
    } catch (RuntimeException e) {
      fail(new DagException("malformed DAG response from " + peer + ": " + e.getMessage(), e));
      return;
    }
    verify();
  }

  private void onFrame(byte[] frame) {
    switch (state) {
      case STATUS -> {
        Optional<String> refusal = DagProtocol.refusal(frame);
        if (refusal.isPresent()) {
          throw new DagException("peer " + peer + " refused the DAG request: " + refusal.get());
        }
        state = State.HEADER;
      }
      case HEADER -> {
        CarHeader h = CarHeader.decode(frame);
        if (!h.roots().equals(request.roots())) {
          throw new DagException("peer " + peer + " answered with a CAR of other roots");
        }
        state = State.SECTIONS;
      }
      case SECTIONS -> throw new IllegalStateException("sections are split, not framed");
    }
  }

  /** The length of the CID at the start of a section. */
  private static int cidLength(ByteBuffer section) {
    Cid.read(section);
    return section.position();
  }

  private void onSection(byte[] cidBytes, byte[] data) {
    int len = cidBytes.length + data.length;
    long wire = Varint.encodedLength(len) + len;
    arrived += wire;
    if (arrived > granted) {
      throw new DagException(
          "peer " + peer + " sent " + arrived + " bytes of CAR but was granted " + granted);
    }
    Cid cid;
    try {
      cid = Cid.decode(cidBytes);
    } catch (RuntimeException e) {
      throw new DagException("peer " + peer + " sent a CAR section with a bad CID", e);
    }
    raw.add(new Section(cid, data, wire));
  }

  private void onEnd() {
    ended = true;
    if (state != State.SECTIONS && !result.future().isComplete()) {
      fail(new DagException("peer " + peer + " ended the DAG stream before its CAR header"));
      return;
    }
    maybeComplete();
  }

  /** Hashes the next batch of sections on a worker thread. */
  private void verify() {
    if (verifying || raw.isEmpty() || result.future().isComplete()) {
      return;
    }
    List<Section> batch = new ArrayList<>();
    long size = 0;
    while (!raw.isEmpty() && size < VERIFY_BATCH) {
      Section f = raw.poll();
      batch.add(f);
      size += f.wireBytes();
    }
    verifying = true;
    vertx
        .executeBlocking(() -> parse(batch), false)
        .onComplete(
            ar ->
                Contexts.run(
                    ctx,
                    () -> {
                      verifying = false;
                      if (ar.failed()) {
                        fail(
                            ar.cause() instanceof DagException d
                                ? d
                                : new DagException(ar.cause().getMessage(), ar.cause()));
                        return;
                      }
                      accept(ar.result());
                    }));
  }

  /** Worker thread: checks each section's hash and reads its links. */
  private List<Parsed> parse(List<Section> sections) {
    List<Parsed> out = new ArrayList<>(sections.size());
    for (Section s : sections) {
      Cid cid = s.cid();
      byte[] data = s.data();
      if (!cid.multihash().matches(data)) {
        throw new DagException("peer " + peer + " sent bytes that do not hash to " + cid);
      }
      Block block = Block.ofOwned(cid, data);
      List<Cid> links;
      try {
        links = request.scope().links(block);
      } catch (RuntimeException e) {
        throw new DagException("block " + cid + " from " + peer + " does not decode", e);
      }
      out.add(new Parsed(block, s.wireBytes(), links));
    }
    return out;
  }

  private void accept(List<Parsed> parsed) {
    if (result.future().isComplete()) {
      return;
    }
    for (Parsed p : parsed) {
      Multihash mh = p.block().cid().multihash();
      Expected e = expected.remove(mh);
      if (e == null) {
        fail(
            new DagException(
                "peer "
                    + peer
                    + " sent block "
                    + p.block().cid()
                    + ", which no block before it links to"));
        return;
      }
      received.add(mh);
      if (received.size() > request.maxBlocks()) {
        fail(
            new DagException(
                "peer " + peer + " sent more than " + request.maxBlocks() + " blocks"));
        return;
      }
      if (e.depth() < request.depth()) {
        for (Cid l : p.links()) {
          expect(l, e.depth() + 1);
        }
      }
      blocks++;
      bytes += p.block().size();
      ready.add(new Ready(p.block(), p.wireBytes(), e.depth(), p.links()));
    }
    deliver();
  }

  private void deliver() {
    while (demand > 0 && !ready.isEmpty() && !result.future().isComplete()) {
      Ready r = ready.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      consumed += r.wireBytes();
      if (handler != null) {
        handler.handle(r.block());
      }
    }
    if (consumed >= request.credit() / 4 && stream != null && !result.future().isComplete()) {
      granted += consumed;
      stream.write(DagProtocol.grant(consumed));
      consumed = 0;
    }
    verify();
    maybeComplete();
  }

  private void maybeComplete() {
    if (ended && raw.isEmpty() && ready.isEmpty() && !verifying) {
      List<Cid> missing = new ArrayList<>(expected.size());
      expected.values().forEach(e -> missing.add(e.cid()));
      if (result.tryComplete(new DagSummary(blocks, bytes, missing)) && endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  private void fail(DagException e) {
    if (!result.tryFail(e)) {
      return;
    }
    raw.clear();
    ready.clear();
    if (stream != null) {
      stream.reset();
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(e);
    }
  }

  @Override
  public DagResponse exceptionHandler(Handler<Throwable> handler) {
    Contexts.run(ctx, () -> this.exceptionHandler = handler);
    return this;
  }

  @Override
  public DagResponse handler(Handler<Block> handler) {
    Contexts.run(ctx, () -> this.handler = handler);
    return this;
  }

  @Override
  public DagResponse pause() {
    Contexts.run(ctx, () -> demand = 0);
    return this;
  }

  @Override
  public DagResponse resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public DagResponse fetch(long amount) {
    Contexts.run(
        ctx,
        () -> {
          demand =
              amount == Long.MAX_VALUE ? amount : Math.min(Long.MAX_VALUE - 1, demand + amount);
          deliver();
        });
    return this;
  }

  @Override
  public DagResponse endHandler(Handler<Void> endHandler) {
    Contexts.run(ctx, () -> this.endHandler = endHandler);
    return this;
  }
}
