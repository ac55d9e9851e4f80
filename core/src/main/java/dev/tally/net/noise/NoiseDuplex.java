package dev.tally.net.noise;

import dev.tally.net.Duplex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

/**
 * The Noise transport phase over a byte duplex: every write is encrypted into frames of at most
 * 65535 bytes (65519 of plaintext plus the 16-byte tag), each prefixed by its 2-byte big-endian
 * length; every received frame is authenticated and decrypted.
 *
 * <p>Back-pressure runs end to end: while the consumer is paused, or decrypted data waits to be
 * delivered, the transport is paused too, so at most one transport read is held. Writes report the
 * transport's queue. A frame that fails authentication, or is shorter than its tag, closes the
 * connection and is reported to the exception handler with the reason. Noise has no half-close:
 * {@link #end()} ends the transport.
 */
public final class NoiseDuplex implements Duplex {
  /** Largest plaintext in one frame. */
  public static final int MAX_PLAINTEXT = FrameDecoder.MAX_FRAME - CipherState.TAG_LENGTH;

  private static final System.Logger LOG = System.getLogger(NoiseDuplex.class.getName());
  private static final byte[] NO_AD = new byte[0];

  private final Context context;
  private final Duplex transport;
  private final CipherState send;
  private final CipherState recv;
  private final FrameDecoder decoder = new FrameDecoder();
  private final ArrayDeque<Buffer> inbound = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean transportPaused;
  private boolean transportEnded;
  private boolean endDelivered;
  private boolean failed;
  private boolean draining;
  private boolean drainScheduled;

  // Send side: the frame being filled, plaintext at frame[2..], sealed in place (one cipher call
  // per frame: the JDK's ChaCha20-Poly1305 is fastest on one large doFinal, markedly slower when
  // fed a 12-byte Yamux header and a payload as separate updates).
  private final byte[] frame = new byte[2 + FrameDecoder.MAX_FRAME];
  private int framePlaintext;
  private Promise<Void> pendingPromise;
  private boolean flushScheduled;

  NoiseDuplex(
      Context context, Duplex transport, CipherState send, CipherState recv, Buffer leftover) {
    this.context = context;
    this.transport = transport;
    this.send = send;
    this.recv = recv;
    transport.pause();
    transportPaused = true;
    transport.handler(this::onTransportData);
    transport.endHandler(
        v -> {
          transportEnded = true;
          drain();
        });
    transport.exceptionHandler(this::onTransportError);
    if (leftover.length() > 0) {
      try {
        receive(leftover);
      } catch (NoiseException e) {
        fail(e);
      }
    }
  }

  /** The channel underneath (e.g. the TCP connection, for its addresses). */
  public Duplex transport() {
    return transport;
  }

  private void onTransportData(Buffer data) {
    if (failed) {
      return;
    }
    try {
      receive(data);
    } catch (NoiseException e) {
      fail(e);
    }
    drain();
  }

  /**
   * Opens the frames in {@code data}: a frame split across reads is completed in the decoder, every
   * whole frame is decrypted straight from {@code data}'s array without being copied first.
   */
  private void receive(Buffer data) {
    int pos = 0;
    int end = data.length();
    if (decoder.holding()) {
      pos = decoder.appendFrameRest(data, 0);
      int len = decoder.nextFrame();
      if (len < 0) {
        return;
      }
      open(decoder.array(), decoder.frameOffset(), len);
    }
    ByteBuf bytes = ((BufferInternal) data).getByteBuf();
    if (bytes.hasArray()) {
      byte[] a = bytes.array();
      int base = bytes.arrayOffset() + bytes.readerIndex();
      while (end - pos >= 2) {
        int len = ((a[base + pos] & 0xff) << 8) | (a[base + pos + 1] & 0xff);
        if (end - pos - 2 < len) {
          break;
        }
        open(a, base + pos + 2, len);
        pos += 2 + len;
      }
    }
    if (pos < end) {
      decoder.append(data, pos);
      decodeFrames();
    }
  }

  private void decodeFrames() {
    for (int len = decoder.nextFrame(); len >= 0; len = decoder.nextFrame()) {
      open(decoder.array(), decoder.frameOffset(), len);
    }
  }

  /** Authenticates and decrypts one frame body; queues its plaintext, if any. */
  private void open(byte[] array, int offset, int len) {
    if (len > CipherState.TAG_LENGTH) {
      byte[] plain = new byte[len - CipherState.TAG_LENGTH];
      recv.decrypt(NO_AD, array, offset, len, plain);
      inbound.add(BufferInternal.buffer(Unpooled.wrappedBuffer(plain)));
    } else {
      recv.decrypt(NO_AD, array, offset, len);
    }
  }

  private void onTransportError(Throwable t) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(t);
    }
  }

  private void fail(NoiseException e) {
    if (failed) {
      return;
    }
    failed = true;
    inbound.clear();
    LOG.log(Level.INFO, "closing {0}: {1}", transport, e.getMessage());
    onTransportError(e);
    transport.close();
  }

  private void scheduleDrain() {
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(
          v -> {
            drainScheduled = false;
            drain();
          });
    }
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (demand > 0 && handler != null && !inbound.isEmpty()) {
        Buffer b = inbound.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(b);
      }
      if (inbound.isEmpty() && transportEnded && !endDelivered && !failed) {
        endDelivered = true;
        Handler<Void> h = endHandler;
        if (h != null) {
          h.handle(null);
        }
      }
    } finally {
      draining = false;
    }
    updateTransportFlow();
  }

  private void updateTransportFlow() {
    boolean want = inbound.isEmpty() && demand > 0 && handler != null && !transportEnded && !failed;
    if (want && transportPaused) {
      transportPaused = false;
      transport.resume();
    } else if (!want && !transportPaused) {
      transportPaused = true;
      transport.pause();
    }
  }

  @Override
  public NoiseDuplex handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler == null) {
      updateTransportFlow();
    } else {
      scheduleDrain();
    }
    return this;
  }

  @Override
  public NoiseDuplex pause() {
    demand = 0;
    updateTransportFlow();
    return this;
  }

  @Override
  public NoiseDuplex resume() {
    demand = Long.MAX_VALUE;
    scheduleDrain();
    return this;
  }

  @Override
  public NoiseDuplex fetch(long amount) {
    if (amount > 0) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      scheduleDrain();
    }
    return this;
  }

  @Override
  public NoiseDuplex endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public NoiseDuplex exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /**
   * Encrypts and writes {@code data}. Bytes written within one event-loop task are coalesced into
   * full frames: a frame goes out when 65519 bytes of plaintext are in it, the rest at the end of
   * the task, so a Yamux header and its payload, or a burst of small writes, cost one frame and one
   * TCP write instead of one each. The frame is encrypted in place and copied once, into pooled
   * direct memory the socket writes from. Synchronized so that frames reach the transport in nonce
   * order even when several threads write.
   */
  @Override
  public synchronized Future<Void> write(Buffer data) {
    if (failed) {
      return Future.failedFuture(new NoiseException("Noise channel closed after a protocol error"));
    }
    int len = data.length();
    if (len == 0) {
      return Future.succeededFuture();
    }
    Future<Void> last = null;
    ByteBuf src = ((BufferInternal) data).getByteBuf();
    int base = src.readerIndex();
    int pos = 0;
    while (pos < len) {
      if (pendingPromise == null) {
        pendingPromise = Promise.promise();
      }
      last = pendingPromise.future();
      int n = Math.min(MAX_PLAINTEXT - framePlaintext, len - pos);
      src.getBytes(base + pos, frame, 2 + framePlaintext, n);
      framePlaintext += n;
      pos += n;
      if (framePlaintext == MAX_PLAINTEXT) {
        sealFrame();
      }
    }
    if (pendingPromise != null && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
    return last;
  }

  /** Sends the partly filled frame, if any. */
  private synchronized void flush() {
    flushScheduled = false;
    if (pendingPromise != null && !failed) {
      sealFrame();
    }
  }

  private void sealFrame() {
    int ct = send.encrypt(NO_AD, frame, 2, framePlaintext, frame, 2);
    frame[0] = (byte) (ct >>> 8);
    frame[1] = (byte) ct;
    int length = 2 + ct;
    // Direct memory from the pool: the socket writes it without the heap-to-direct copy it makes
    // of heap buffers, and no 64 KiB array per frame is left for the garbage collector.
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
    out.writeBytes(frame, 0, length);
    framePlaintext = 0;
    Promise<Void> promise = pendingPromise;
    pendingPromise = null;
    Future<Void> written;
    try {
      written = transport.write(BufferInternal.buffer(out));
    } catch (RuntimeException e) {
      out.release();
      promise.fail(e);
      return;
    }
    // Vert.x hands the socket an unreleasable view of the buffer; it is ours to release once the
    // write is done (written, or failed because the connection closed).
    written.onComplete(
        ar -> {
          out.release();
          promise.handle(ar);
        });
  }

  @Override
  public Future<Void> end() {
    flush();
    return transport.end();
  }

  @Override
  public NoiseDuplex setWriteQueueMaxSize(int maxSize) {
    transport.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return transport.writeQueueFull();
  }

  @Override
  public NoiseDuplex drainHandler(Handler<Void> handler) {
    transport.drainHandler(handler);
    return this;
  }

  @Override
  public Future<Void> close() {
    flush();
    return transport.close();
  }

  @Override
  public void reset() {
    transport.reset();
  }

  @Override
  public Future<Void> closeFuture() {
    return transport.closeFuture();
  }

  @Override
  public String toString() {
    return "NoiseDuplex(" + transport + ")";
  }
}
