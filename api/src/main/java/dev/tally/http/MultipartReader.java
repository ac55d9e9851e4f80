package dev.tally.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a streamed {@code multipart/form-data} request on a worker thread, part by part, each
 * part's body as an {@link InputStream}. The event loop only queues the body's buffers; the worker
 * parses them ({@link MultipartParser}); when more bytes wait than the server's {@link
 * UploadBudget} grants this upload, the request is paused until the worker has consumed them, so an
 * upload of any size holds a bounded amount of memory, and all uploads together hold at most the
 * budget.
 *
 * <p>Create it on the request's event loop, before the body arrives; read it from one worker
 * thread.
 */
public final class MultipartReader {
  /**
   * A paused request resumes once the worker has drained the queue to half its limit, so the socket
   * refills it while the worker still has work (a lower mark left the worker waiting for the first
   * bytes after each resume).
   */
  private static final long LOW_WATER_DIVISOR = 2;

  private final HttpServerRequest request;
  private final Context context;
  private final UploadBudget budget;
  private final long waitNanos;
  private final ArrayDeque<Object> queue = new ArrayDeque<>(); // guarded by this
  private long queued; // guarded by this
  private boolean paused; // guarded by this; changed on the event loop only
  private boolean abandoned; // event loop only
  private boolean resumeScheduled; // guarded by this
  private boolean workerWaiting; // guarded by this
  private final Optional<MultipartParser> parser;

  private record Failed(Throwable cause) {}

  private static final Object REQUEST_END = new Object();

  /**
   * Starts reading {@code request}, alone: it may hold {@code highWater} bytes. {@code
   * maxWaitSeconds} bounds how long the worker waits for the next bytes before it gives up on a
   * stalled client.
   */
  public MultipartReader(
      HttpServerRequest request, Context context, long highWater, long maxWaitSeconds) {
    this(request, context, UploadBudget.unshared(highWater), maxWaitSeconds);
  }

  /** Starts reading {@code request}, holding what {@code budget} grants it. */
  public MultipartReader(
      HttpServerRequest request, Context context, UploadBudget budget, long maxWaitSeconds) {
    this.request = request;
    this.context = context;
    this.budget = budget;
    this.waitNanos = TimeUnit.SECONDS.toNanos(maxWaitSeconds);
    String type = request.getHeader("Content-Type");
    this.parser =
        MultipartParser.boundary(type == null ? "" : type)
            .map(boundary -> new MultipartParser(new RawBody(), boundary));
    // The raw body is queued as it arrives and parsed on the worker: the event loop does no
    // multipart decoding.
    request.handler(data -> offer(data, data.length()));
    request.exceptionHandler(e -> offer(new Failed(e), 0));
    request.endHandler(v -> offer(REQUEST_END, 0));
  }

  /**
   * Event loop: stops queueing and lets the rest of the body flow to nowhere, so a request that
   * failed part-way can be answered and its connection closed instead of stalling paused.
   */
  public void abandon() {
    abandoned = true;
    boolean resume;
    synchronized (this) {
      queue.clear();
      budget.moved(queued, 0);
      queued = 0;
      queue.add(new Failed(new IOException("the command failed; the upload was abandoned")));
      notifyAll();
      resume = paused;
      paused = false;
    }
    if (resume) {
      request.resume();
    }
  }

  /**
   * Event loop: queues one event and pauses the request when the worker falls behind. The worker is
   * woken only when it waits: a busy worker finds the event on its next take, and the event loop
   * saves a wake-up per buffer.
   */
  private void offer(Object event, long bytes) {
    if (abandoned) {
      return;
    }
    boolean pause;
    synchronized (this) {
      queue.add(event);
      budget.moved(queued, queued + bytes);
      queued += bytes;
      if (workerWaiting) {
        notifyAll();
      }
      pause = !paused && queued > budget.limit();
      if (pause) {
        paused = true;
      }
    }
    if (pause) {
      request.pause();
    }
  }

  /** Bytes received and not yet read by the worker. */
  synchronized long queuedBytes() {
    return queued;
  }

  /** Event loop: resumes the request once the worker has drained below the low-water mark. */
  private void maybeResume() {
    boolean resume;
    synchronized (this) {
      resumeScheduled = false;
      resume = paused && !abandoned && queued <= budget.limit() / LOW_WATER_DIVISOR;
      if (resume) {
        paused = false;
      }
    }
    if (resume) {
      request.resume();
    }
  }

  private Object take() throws IOException {
    Object event;
    synchronized (this) {
      long deadline = System.nanoTime() + waitNanos;
      while (queue.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("upload stalled: no data from the client for too long");
        }
        workerWaiting = true;
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the upload");
        } finally {
          workerWaiting = false;
        }
      }
      event = queue.remove();
      if (event instanceof Buffer data) {
        budget.moved(queued, queued - data.length());
        queued -= data.length();
      }
      // Only a paused request needs the event loop's attention; a flowing one is left alone.
      if (paused && !resumeScheduled && queued <= budget.limit() / LOW_WATER_DIVISOR) {
        resumeScheduled = true;
        context.runOnContext(v -> maybeResume());
      }
    }
    if (event instanceof Failed failed) {
      throw new IOException(
          "the upload failed before it was complete: " + failed.cause().getMessage(),
          failed.cause());
    }
    return event;
  }

  /**
   * Worker: the next part, or empty at the end of the request. The body of the previous part is
   * skipped if it was not read to its end.
   */
  public Optional<UploadPart> next() throws IOException {
    return parser().next();
  }

  /** Worker: the body of the part {@link #next()} returned last. */
  public InputStream body() {
    return parser.orElseThrow(() -> new IllegalStateException("no current part")).body();
  }

  private MultipartParser parser() throws IOException {
    if (parser.isEmpty()) {
      throw new IOException(
          "malformed multipart body: the Content-Type has no boundary=... parameter");
    }
    return parser.get();
  }

  /**
   * The request body as it arrives, piece by piece, ending at the end of the request. Pieces are
   * handed to the parser in place: Vert.x gives each handler call a heap copy of its own, which
   * nothing else writes.
   */
  private final class RawBody implements MultipartParser.Pieces {
    private boolean ended;

    @Override
    public Optional<ByteBuffer> next() throws IOException {
      while (!ended) {
        Object event = take();
        if (event == REQUEST_END) {
          ended = true;
        } else if (event instanceof Buffer data) {
          return Optional.of(inPlace(data));
        }
      }
      return Optional.empty();
    }

    private ByteBuffer inPlace(Buffer data) {
      if (data instanceof BufferInternal internal) {
        ByteBuf b = internal.getByteBuf();
        if (b.hasArray()) {
          return ByteBuffer.wrap(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
        }
      }
      return ByteBuffer.wrap(data.getBytes());
    }
  }
}
