package dev.tally.log.sync;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Checkpoint;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.log.LogException;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Varint;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code /tally/log/checkpoint/1.0.0}: a replica offers its latest final checkpoint as a {@link
 * CheckpointBundle}, so a fresh replica starts from it (ADR 027). The asker writes one frame {@code
 * {log}} (a uvarint length, then DAG-CBOR; at most {@value #MAX_REQUEST} bytes); the holder answers
 * with one frame {@code {car: bytes}} (the bundle) or {@code {none: reason}}, then ends the stream.
 * The answer is bounded by {@code maxCheckpointBytes} on both sides; the asker checks the bundle
 * offline against the manifest's quorum ({@link CheckpointBundle#read}) on a worker, and a bundle
 * that fails that check is a {@link ForgedCheckpointException}: the peer lied.
 */
final class CheckpointOffer {
  static final String PROTOCOL = "/tally/log/checkpoint/1.0.0";

  /** A request names one log: a CID and the framing. */
  static final int MAX_REQUEST = 1024;

  /** What an answer frame adds to the bundle bytes: the map and the byte string's header. */
  private static final int ANSWER_OVERHEAD = 64;

  /** A covered entry's CID takes at least this many bytes of the bundle's order index. */
  private static final int MIN_CID_BYTES = 34;

  private static final System.Logger LOG = System.getLogger(CheckpointOffer.class.getName());

  private final Vertx vertx;
  private final Host host;
  private final SyncOptions options;
  private final Function<Cid, Optional<Log>> replicas;
  private final AtomicInteger serving = new AtomicInteger();

  /** The last answer built per log, reused while its checkpoint stays the latest final one. */
  private final Map<Cid, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Cid checkpoint, Buffer frame) {}

  CheckpointOffer(
      Vertx vertx, Host host, SyncOptions options, Function<Cid, Optional<Log>> replicas) {
    this.vertx = vertx;
    this.host = host;
    this.options = options;
    this.replicas = replicas;
  }

  void start() {
    host.setHandler(PROTOCOL, this::inbound);
  }

  void close() {
    host.removeHandler(PROTOCOL);
    cache.clear();
  }

  // ---- holder side

  private void inbound(Stream stream) {
    SyncFrames frames = new SyncFrames(MAX_REQUEST);
    boolean[] asked = {false};
    stream.exceptionHandler(e -> stream.reset());
    stream.handler(
        data -> {
          if (asked[0]) {
            return;
          }
          try {
            frames.feed(data);
            Optional<byte[]> f = frames.next();
            if (f.isPresent()) {
              asked[0] = true;
              answer(stream, requestedLog(f.get()));
            }
          } catch (RuntimeException e) {
            asked[0] = true;
            LOG.log(
                System.Logger.Level.DEBUG,
                "checkpoint offer: dropping a request from {0}: {1}",
                stream.connection().remotePeer(),
                e.getMessage());
            stream.reset();
          }
        });
  }

  private static Cid requestedLog(byte[] body) {
    try {
      return DagCbor.decode(body, 2)
          .asMap()
          .get("log")
          .orElseThrow(() -> new SyncException("a checkpoint request lacks its log"))
          .asLink();
    } catch (CodecException | IllegalStateException e) {
      throw new SyncException("malformed checkpoint request: " + e.getMessage(), e);
    }
  }

  private void answer(Stream stream, Cid log) {
    if (serving.incrementAndGet() > options.maxServing()) {
      serving.decrementAndGet();
      end(stream, none("busy: too many checkpoint bundles in progress"));
      return;
    }
    vertx
        .executeBlocking(() -> frameFor(log), false)
        .onComplete(
            ar -> {
              serving.decrementAndGet();
              end(
                  stream,
                  ar.succeeded()
                      ? ar.result()
                      : none("cannot write the bundle: " + ar.cause().getMessage()));
            });
  }

  private static void end(Stream stream, Buffer frame) {
    stream.write(frame);
    stream.end();
  }

  /** On a worker: the answer for {@code id}, from the cache while its checkpoint is the latest. */
  private Buffer frameFor(Cid id) {
    Optional<Log> log = replicas.apply(id);
    if (log.isEmpty()) {
      return none("this node does not replicate log " + id);
    }
    Optional<Checkpoint> last = log.get().checkpoints().latestFinal();
    if (last.isEmpty()) {
      return none("log " + id + " has no final checkpoint here");
    }
    Cached c = cache.get(id);
    if (c != null && c.checkpoint().equals(last.get().cid())) {
      return c.frame();
    }
    ByteArrayOutputStream car = new ByteArrayOutputStream();
    try {
      CheckpointBundle.write(log.get(), last.get().cid(), car);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (car.size() > options.maxCheckpointBytes()) {
      return none(
          "the bundle of "
              + last.get().cid()
              + " is "
              + car.size()
              + " bytes, over this node's Log.Sync.MaxCheckpointBytes ("
              + options.maxCheckpointBytes()
              + ")");
    }
    Buffer frame = frame(IpldNode.map().put("car", IpldNode.of(car.toByteArray())).build());
    cache.put(id, new Cached(last.get().cid(), frame));
    return frame;
  }

  private static Buffer none(String why) {
    return frame(IpldNode.map().put("none", why).build());
  }

  private static Buffer frame(IpldNode body) {
    byte[] bytes = DagCbor.encode(body);
    return Buffer.buffer(Varint.encode(bytes.length)).appendBytes(bytes);
  }

  // ---- asking side

  /**
   * Asks {@code peer} for its latest final checkpoint of {@code log}. Empty when it has none (or
   * does not speak the protocol); fails with {@link ForgedCheckpointException} when its bundle does
   * not hold up, with a {@link SyncException} when the answer is over the size limit or the peer
   * goes silent.
   */
  Future<Optional<FinalCheckpoint>> ask(PeerId peer, Log log) {
    return host.newStream(peer, PROTOCOL)
        .transform(
            ar ->
                ar.succeeded()
                    ? read(ar.result(), log.id())
                    : Future.succeededFuture(Optional.<byte[]>empty()))
        .compose(
            body ->
                body.isEmpty()
                    ? Future.succeededFuture(Optional.empty())
                    : vertx.executeBlocking(() -> check(body.get(), log), false));
  }

  /** Sends the request and reads the one answer frame (empty when the peer cannot answer). */
  private Future<Optional<byte[]>> read(Stream stream, Cid log) {
    Promise<Optional<byte[]>> answer = Promise.promise();
    SyncFrames frames = new SyncFrames(options.maxCheckpointBytes() + ANSWER_OVERHEAD);
    long[] timer = {-1};
    Runnable touch =
        () -> {
          if (timer[0] >= 0) {
            vertx.cancelTimer(timer[0]);
          }
          if (!answer.future().isComplete()) {
            timer[0] =
                vertx.setTimer(
                    options.idleTimeout().toMillis(),
                    id -> {
                      if (answer.tryFail(
                          new SyncException(
                              "the peer sent no checkpoint bundle for "
                                  + options.idleTimeout().toSeconds()
                                  + " s"))) {
                        stream.reset();
                      }
                    });
          }
        };
    stream.exceptionHandler(answer::tryFail);
    stream.handler(
        data -> {
          if (answer.future().isComplete()) {
            return;
          }
          touch.run();
          try {
            frames.feed(data);
            Optional<byte[]> f = frames.next();
            if (f.isPresent()) {
              vertx.cancelTimer(timer[0]);
              answer.tryComplete(f);
              stream.close();
            }
          } catch (SyncException e) {
            vertx.cancelTimer(timer[0]);
            answer.tryFail(e);
            stream.reset();
          }
        });
    stream.endHandler(
        v -> {
          vertx.cancelTimer(timer[0]);
          answer.tryFail(new SyncException("the peer ended the stream without an answer"));
        });
    touch.run();
    stream.write(frame(IpldNode.map().put("log", IpldNode.of(log)).build()));
    return answer.future();
  }

  /** On a worker: the answer's bundle checked against {@code log}'s manifest and quorum. */
  private Optional<FinalCheckpoint> check(byte[] body, Log log) {
    IpldMap m;
    try {
      m = DagCbor.decode(body, 2).asMap();
    } catch (CodecException | IllegalStateException e) {
      throw new ForgedCheckpointException("malformed checkpoint answer: " + e.getMessage(), e);
    }
    if (m.get("none").isPresent()) {
      return Optional.empty();
    }
    byte[] car;
    try {
      car =
          m.get("car")
              .orElseThrow(() -> new ForgedCheckpointException("the answer holds no bundle"))
              .asBytes();
    } catch (IllegalStateException e) {
      throw new ForgedCheckpointException("malformed checkpoint answer: " + e.getMessage(), e);
    }
    try {
      FinalCheckpoint f =
          CheckpointBundle.read(
              new ByteArrayInputStream(car), log.id(), car.length / MIN_CID_BYTES + 1);
      if (!f.manifest().cid().equals(log.id())) {
        throw new ForgedCheckpointException("the bundle is of log " + f.manifest().cid());
      }
      return Optional.of(f);
    } catch (LogException e) {
      throw new ForgedCheckpointException(
          "refused the checkpoint bundle of log " + log.id() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
