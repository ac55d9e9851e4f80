package dev.tally.net.noise;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.net.Duplex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * The libp2p Noise security transport ({@code /noise}) of one node: secures a raw duplex as
 * initiator or responder with Noise_XX_25519_ChaChaPoly_SHA256 and an empty prologue. The node's
 * X25519 static key and its signed handshake payload are made once, here.
 *
 * <p>Call {@code secure…} on the transport's context. A handshake that fails — malformed or
 * unauthenticated messages, a signature that does not cover the static key, a remote other than the
 * dialled peer, the timeout — closes the transport and fails the future with a {@link
 * NoiseException} saying why.
 */
public final class NoiseSecurity {
  public static final String PROTOCOL_ID = "/noise";

  private static final System.Logger LOG = System.getLogger(NoiseSecurity.class.getName());
  private static final byte[] EMPTY = new byte[0];

  private final Vertx vertx;
  private final PrivateKey identity;
  private final NoiseOptions options;
  private final SecureRandom random;
  private final X25519KeyPair staticKey;
  private final byte[] payload;

  public NoiseSecurity(Vertx vertx, PrivateKey identity, NoiseOptions options) {
    this(vertx, identity, options, new SecureRandom());
  }

  NoiseSecurity(Vertx vertx, PrivateKey identity, NoiseOptions options, SecureRandom random) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.options = Objects.requireNonNull(options, "options");
    this.random = random;
    this.staticKey = X25519KeyPair.generate(random);
    this.payload =
        HandshakePayloads.create(identity, staticKey.publicKey(), options.streamMuxers());
  }

  public PeerId localPeer() {
    return identity.publicKey().peerId();
  }

  /**
   * Runs the handshake as initiator. When {@code expected} is present, a remote that authenticates
   * as another peer fails with {@link PeerMismatchException}.
   */
  public Future<SecureChannel> secureOutbound(Duplex transport, Optional<PeerId> expected) {
    return new Handshake(transport, true, expected, payload).start();
  }

  /** Runs the handshake as responder; any authenticated peer is accepted. */
  public Future<SecureChannel> secureInbound(Duplex transport) {
    return new Handshake(transport, false, Optional.empty(), payload).start();
  }

  /** One handshake's state; touched only on the transport's context. */
  final class Handshake {
    private final Duplex transport;
    private final Optional<PeerId> expected;
    private final byte[] localPayload;
    private final Context context;
    private final XxHandshake hs;
    private final FrameDecoder decoder = new FrameDecoder();
    private final Promise<SecureChannel> promise = Promise.promise();
    private long timer = -1;
    private boolean done;

    Handshake(Duplex transport, boolean initiator, Optional<PeerId> expected, byte[] localPayload) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.expected = Objects.requireNonNull(expected, "expected");
      this.localPayload = localPayload;
      this.context = vertx.getOrCreateContext();
      this.hs = XxHandshake.create(initiator, staticKey, random);
    }

    Future<SecureChannel> start() {
      timer =
          vertx.setTimer(
              options.handshakeTimeout().toMillis(),
              id -> {
                timer = -1;
                fail(
                    new NoiseException(
                        "Noise handshake timed out after "
                            + options.handshakeTimeout().toMillis()
                            + " ms"));
              });
      transport.exceptionHandler(this::fail);
      transport.endHandler(
          v -> fail(new NoiseException("connection closed during the Noise handshake")));
      transport.handler(this::onData);
      if (hs.isInitiator()) {
        transport.write(FrameDecoder.frame(hs.writeMessage(EMPTY)));
      }
      transport.resume();
      return promise.future();
    }

    private void onData(Buffer data) {
      if (done) {
        return;
      }
      decoder.append(data);
      try {
        for (byte[] m = decoder.next(); m != null && !done; m = decoder.next()) {
          onMessage(m);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void onMessage(byte[] message) {
      byte[] remotePayload = hs.readMessage(message);
      if (!hs.isInitiator() && !hs.isComplete()) {
        // Message 1 carries only the initiator's ephemeral key; its payload is not used.
        transport.write(FrameDecoder.frame(hs.writeMessage(localPayload)));
        return;
      }
      HandshakePayloads.Verified remote =
          HandshakePayloads.verify(remotePayload, hs.remoteStatic());
      if (expected.isPresent() && !expected.get().equals(remote.peer())) {
        throw new PeerMismatchException(expected.get(), remote.peer());
      }
      if (hs.isInitiator()) {
        transport.write(FrameDecoder.frame(hs.writeMessage(localPayload)));
      }
      finish(remote);
    }

    private void finish(HandshakePayloads.Verified remote) {
      done = true;
      cancelTimer();
      CipherState[] c = hs.split();
      NoiseDuplex duplex = new NoiseDuplex(context, transport, c[0], c[1], decoder.remaining());
      promise.complete(
          new SecureChannel(duplex, remote.peer(), remote.key(), remote.streamMuxers()));
    }

    private void fail(Throwable cause) {
      if (done) {
        return;
      }
      done = true;
      cancelTimer();
      NoiseException e =
          cause instanceof NoiseException ne
              ? ne
              : new NoiseException("Noise handshake failed: " + cause, cause);
      LOG.log(Level.INFO, "closing {0}: {1}", transport, e.getMessage());
      transport.close();
      promise.tryFail(e);
    }

    private void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
