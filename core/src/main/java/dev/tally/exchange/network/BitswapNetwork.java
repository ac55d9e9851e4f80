package dev.tally.exchange.network;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.net.Connection;
import dev.tally.net.Host;
import dev.tally.net.Stream;
import dev.tally.net.multistream.ProtocolNotSupportedException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bitswap over a {@link Host}. Outgoing: one long-lived stream per peer (as boxo's message sender),
 * shared by wants and responses, with the bytes written but not yet sent counted so callers can
 * wait for it to drain. Incoming: each stream is read frame by frame and paused while the receiver
 * handles a message. All state lives on the exchange context.
 */
public final class BitswapNetwork {
  private static final System.Logger LOG = System.getLogger(BitswapNetwork.class.getName());

  private final Context ctx;
  private final Host host;
  private final MessageCodec codec;
  private final long maxOutstandingBytes;
  private final long idleCloseMillis;

  /**
   * Largest message body sent: ours, and never more than what boxo and Helia read (4 MiB), so a
   * batch of blocks or presences a large {@code MaxMessageSize} allows is split rather than refused
   * by the peer. Only a block too large for that on its own goes over it, alone.
   */
  private final int sendLimit;

  private final Map<PeerId, Sender> senders = new HashMap<>();
  private final Set<PeerId> peers = new LinkedHashSet<>();
  private final Set<PeerId> unsupported = new LinkedHashSet<>();
  private Receiver receiver;
  private boolean stopped;

  /**
   * @param ctx the exchange context, where every state change and receiver call happens
   * @param maxOutstandingBytes bytes queued on one peer's stream above which {@link
   *     #whenDrained(PeerId)} waits
   * @param idleCloseMillis an outgoing stream with nothing sent for this long is closed (and
   *     reopened when needed): peers such as Helia reset a stream idle for 10 s, and a message
   *     written as that reset arrives would be lost
   */
  public BitswapNetwork(
      Context ctx, Host host, MessageCodec codec, long maxOutstandingBytes, long idleCloseMillis) {
    this.ctx = ctx;
    this.host = host;
    this.codec = codec;
    this.maxOutstandingBytes = maxOutstandingBytes;
    this.idleCloseMillis = idleCloseMillis;
    this.sendLimit = Math.min(codec.limits().maxMessageSize(), MessageLimits.PEER_MAX_MESSAGE_SIZE);
  }

  public MessageCodec codec() {
    return codec;
  }

  /** Serves the Bitswap protocols and starts reporting peers; call on the exchange context. */
  public void start(Receiver receiver) {
    this.receiver = receiver;
    for (ProtocolVersion v : ProtocolVersion.values()) {
      host.setHandler(v.id(), this::onInbound);
    }
    host.onConnection(c -> Contexts.run(ctx, () -> connected(c.remotePeer())));
    host.onDisconnection(c -> Contexts.run(ctx, () -> disconnected(c.remotePeer())));
    for (Connection c : host.connections()) {
      connected(c.remotePeer());
    }
  }

  public void stop() {
    stopped = true;
    for (ProtocolVersion v : ProtocolVersion.values()) {
      host.removeHandler(v.id());
    }
    for (Sender s : new ArrayList<>(senders.values())) {
      s.close();
    }
    senders.clear();
  }

  /** Connected peers that may speak Bitswap (those that refused it are left out). */
  public List<PeerId> peers() {
    return List.copyOf(peers);
  }

  private void connected(PeerId peer) {
    if (stopped || unsupported.contains(peer) || !peers.add(peer)) {
      return;
    }
    receiver.peerConnected(peer);
  }

  private void disconnected(PeerId peer) {
    for (Connection c : host.connections()) {
      if (c.remotePeer().equals(peer) && !c.isClosed()) {
        return;
      }
    }
    Sender s = senders.remove(peer);
    if (s != null) {
      s.close();
    }
    unsupported.remove(peer);
    if (peers.remove(peer)) {
      receiver.peerDisconnected(peer);
    }
  }

  /** Sends one message on the peer's long-lived stream, opening it if needed. */
  public Future<Void> send(PeerId peer, BitswapMessage message) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("Bitswap network is stopped"));
    }
    Sender s = senders.get(peer);
    if (s == null) {
      s = new Sender(peer);
      senders.put(peer, s);
      s.open();
    }
    return s.send(message);
  }

  /** Bytes handed to the peer's stream and not yet sent. */
  public long outstandingBytes(PeerId peer) {
    Sender s = senders.get(peer);
    return s == null ? 0 : s.outstanding;
  }

  /** Completes (on the exchange context) once the peer's outstanding bytes are under the limit. */
  public Future<Void> whenDrained(PeerId peer) {
    Sender s = senders.get(peer);
    if (s == null || s.outstanding <= maxOutstandingBytes) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    s.drainWaiters.add(p);
    return p.future();
  }

  /** The protocol version negotiated on our stream to {@code peer}, once it is open. */
  public Optional<ProtocolVersion> version(PeerId peer) {
    Sender s = senders.get(peer);
    return s == null ? Optional.empty() : Optional.ofNullable(s.version);
  }

  private final class Sender {
    private final PeerId peer;
    private final Promise<Stream> stream = Promise.promise();
    private final List<Promise<Void>> drainWaiters = new ArrayList<>();
    private ProtocolVersion version;
    private long outstanding;
    private long idleTimer = -1;
    private boolean closed;

    Sender(PeerId peer) {
      this.peer = peer;
    }

    void open() {
      Contexts.on(ctx, host.newStream(peer, ProtocolVersion.ids()))
          .onSuccess(this::opened)
          .onFailure(this::failed)
          .onComplete(stream);
    }

    private void opened(Stream s) {
      version = ProtocolVersion.of(s.protocol()).orElse(ProtocolVersion.V1_0_0);
      // The remote never writes on our stream; discard anything it sends rather than buffer it.
      s.handler(b -> {});
      s.exceptionHandler(e -> LOG.log(Level.DEBUG, "Bitswap stream to {0}: {1}", peer, e));
      s.closeFuture().onComplete(v -> Contexts.run(ctx, this::dropIfCurrent));
      if (closed) {
        s.reset();
      }
    }

    private void failed(Throwable e) {
      LOG.log(Level.DEBUG, "cannot open a Bitswap stream to {0}: {1}", peer, e.getMessage());
      if (e instanceof ProtocolNotSupportedException) {
        unsupported.add(peer);
        if (peers.remove(peer)) {
          receiver.peerDisconnected(peer);
        }
      }
      dropIfCurrent();
    }

    private void dropIfCurrent() {
      if (senders.get(peer) == this) {
        senders.remove(peer);
      }
      outstanding = 0;
      releaseWaiters();
    }

    Future<Void> send(BitswapMessage message) {
      armIdle();
      return stream
          .future()
          .compose(
              s -> {
                List<Future<Void>> writes = new ArrayList<>(1);
                for (byte[] body : codec.encodeSplit(message, version, sendLimit)) {
                  byte[] frame = MessageCodec.frame(body);
                  outstanding += frame.length;
                  writes.add(
                      Contexts.on(ctx, s.write(Buffer.buffer(frame)))
                          .andThen(
                              ar -> {
                                outstanding -= frame.length;
                                if (outstanding <= maxOutstandingBytes) {
                                  releaseWaiters();
                                }
                              }));
                }
                return writes.size() == 1 ? writes.get(0) : Future.all(writes).mapEmpty();
              });
    }

    private void armIdle() {
      Vertx vertx = ctx.owner();
      vertx.cancelTimer(idleTimer);
      idleTimer = vertx.setTimer(idleCloseMillis, id -> Contexts.run(ctx, this::idle));
    }

    private void idle() {
      if (closed) {
        return;
      }
      if (outstanding > 0) {
        armIdle();
        return;
      }
      closed = true;
      dropIfCurrent();
      stream.future().onSuccess(Stream::end);
    }

    private void releaseWaiters() {
      List<Promise<Void>> waiters = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      waiters.forEach(Promise::tryComplete);
    }

    void close() {
      closed = true;
      ctx.owner().cancelTimer(idleTimer);
      stream.future().onSuccess(Stream::reset);
      releaseWaiters();
    }
  }

  private void onInbound(Stream s) {
    Optional<ProtocolVersion> version = ProtocolVersion.of(s.protocol());
    if (version.isEmpty()) {
      s.reset();
      return;
    }
    new Inbound(s, Vertx.currentContext()).start();
  }

  /** Reads one inbound stream on its own context, pausing it while a message is handled. */
  private final class Inbound {
    private final Stream stream;
    private final Context streamCtx;
    private final PeerId peer;
    private final FrameDecoder decoder = new FrameDecoder(codec.limits().maxMessageSize());
    private boolean busy;
    private boolean failed;

    Inbound(Stream stream, Context streamCtx) {
      this.stream = stream;
      this.streamCtx = streamCtx;
      this.peer = stream.connection().remotePeer();
    }

    void start() {
      stream.exceptionHandler(
          e -> LOG.log(Level.DEBUG, "Bitswap stream from {0} failed: {1}", peer, e.toString()));
      stream.endHandler(v -> stream.end());
      stream.handler(
          b -> {
            if (!failed) {
              decoder.feed(b);
              pump();
            }
          });
      stream.resume();
    }

    private void pump() {
      while (!busy && !failed) {
        BitswapMessage message;
        try {
          Optional<byte[]> frame = decoder.next();
          if (frame.isEmpty()) {
            return;
          }
          message = codec.decode(frame.get());
        } catch (RuntimeException e) {
          failed = true;
          LOG.log(Level.WARNING, "resetting a Bitswap stream from {0}: {1}", peer, e.getMessage());
          stream.reset();
          return;
        }
        busy = true;
        stream.pause();
        Contexts.call(ctx, () -> receiver.receive(peer, message))
            .onComplete(
                ar -> {
                  if (ar.failed()) {
                    LOG.log(
                        Level.DEBUG,
                        "handling a Bitswap message from {0} failed: {1}",
                        peer,
                        ar.cause().toString());
                  }
                  Contexts.run(
                      streamCtx,
                      () -> {
                        busy = false;
                        stream.resume();
                        pump();
                      });
                });
      }
    }
  }
}
