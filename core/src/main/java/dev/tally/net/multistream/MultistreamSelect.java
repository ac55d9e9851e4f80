package dev.tally.net.multistream;

import dev.tally.net.Duplex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * multistream-select 1.0 negotiation over any {@link Duplex}. Call on the duplex's own context (its
 * handlers and the timeout timer then run there). On any failure — garbage, an oversized or
 * malformed message, no common protocol, the timeout — the duplex is closed and the future fails
 * with a {@link MultistreamException} saying why.
 */
public final class MultistreamSelect {
  private static final System.Logger LOG = System.getLogger(MultistreamSelect.class.getName());

  private MultistreamSelect() {}

  /**
   * As initiator: proposes {@code protocols} in order until the responder accepts one. The header
   * and the first proposal go out in one write.
   */
  public static Future<Negotiated> select(
      Vertx vertx, Duplex duplex, List<String> protocols, MultistreamOptions options) {
    if (protocols.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("no protocol to propose"));
    }
    for (String p : protocols) {
      MultistreamCodec.encode(p, options.maxMessageLength());
    }
    return new Negotiation(vertx, duplex, options, List.copyOf(protocols), null).start();
  }

  public static Future<Negotiated> select(Vertx vertx, Duplex duplex, List<String> protocols) {
    return select(vertx, duplex, protocols, MultistreamOptions.DEFAULTS);
  }

  /** As responder: accepts the first proposal that {@code registry} supports. */
  public static Future<Negotiated> handle(
      Vertx vertx, Duplex duplex, ProtocolRegistry registry, MultistreamOptions options) {
    return new Negotiation(vertx, duplex, options, List.of(), Objects.requireNonNull(registry))
        .start();
  }

  public static Future<Negotiated> handle(Vertx vertx, Duplex duplex, ProtocolRegistry registry) {
    return handle(vertx, duplex, registry, MultistreamOptions.DEFAULTS);
  }

  /** One negotiation's state; touched only on the duplex's context. */
  private static final class Negotiation {
    private final Vertx vertx;
    private final Context context;
    private final Duplex duplex;
    private final MultistreamOptions options;
    private final List<String> proposals;
    private final ProtocolRegistry registry;
    private final MessageReader reader;
    private final Promise<Negotiated> promise = Promise.promise();
    private long timer = -1;
    private boolean headerSeen;
    private boolean done;
    private int index;
    private int received;

    Negotiation(
        Vertx vertx,
        Duplex duplex,
        MultistreamOptions options,
        List<String> proposals,
        ProtocolRegistry registry) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.context = vertx.getOrCreateContext();
      this.duplex = Objects.requireNonNull(duplex, "duplex");
      this.options = Objects.requireNonNull(options, "options");
      this.proposals = proposals;
      this.registry = registry;
      this.reader = new MessageReader(options.maxMessageLength());
    }

    private boolean initiator() {
      return registry == null;
    }

    Future<Negotiated> start() {
      timer =
          vertx.setTimer(
              options.timeout().toMillis(),
              id -> {
                timer = -1;
                fail(
                    new MultistreamException(
                        "multistream negotiation timed out after "
                            + options.timeout().toMillis()
                            + " ms"));
              });
      duplex.exceptionHandler(this::fail);
      duplex.endHandler(
          v ->
              fail(new MultistreamException("stream ended during multistream-select negotiation")));
      int max = options.maxMessageLength();
      Buffer first = MultistreamCodec.encode(MultistreamCodec.HEADER, max);
      if (initiator()) {
        first.appendBuffer(MultistreamCodec.encode(proposals.get(0), max));
      }
      // Our header goes out before we look at the peer's bytes: installing the handler can deliver
      // bytes that already arrived, and a responder would then echo the proposal before its header.
      duplex.write(first);
      duplex.handler(this::onData);
      duplex.resume();
      return promise.future();
    }

    private void onData(Buffer data) {
      if (done) {
        return;
      }
      reader.append(data);
      try {
        while (!done) {
          Optional<String> m = reader.next();
          if (m.isEmpty()) {
            return;
          }
          onMessage(m.get());
        }
      } catch (MultistreamException e) {
        fail(e);
      }
    }

    private void onMessage(String m) {
      if (!headerSeen) {
        if (!MultistreamCodec.HEADER.equals(m)) {
          throw new MultistreamException(
              (initiator() ? "initiator" : "responder")
                  + " expected header '"
                  + MultistreamCodec.HEADER
                  + "', got '"
                  + printable(m)
                  + "'");
        }
        headerSeen = true;
        return;
      }
      if (initiator()) {
        String proposed = proposals.get(index);
        if (proposed.equals(m)) {
          succeed(proposed);
        } else if (MultistreamCodec.NA.equals(m)) {
          index++;
          if (index == proposals.size()) {
            throw new ProtocolNotSupportedException(proposals);
          }
          duplex.write(MultistreamCodec.encode(proposals.get(index), options.maxMessageLength()));
        } else {
          throw new MultistreamException(
              "peer answered '" + printable(m) + "' to proposal '" + proposed + "'");
        }
        return;
      }
      if (++received > options.maxProposals()) {
        throw new MultistreamException(
            "peer sent more than " + options.maxProposals() + " proposals without agreement");
      }
      if (MultistreamCodec.LS.equals(m)) {
        duplex.write(MultistreamCodec.encodeList(registry.protocols()));
      } else if (registry.supports(m)) {
        duplex.write(MultistreamCodec.encode(m, options.maxMessageLength()));
        succeed(m);
      } else {
        duplex.write(MultistreamCodec.encode(MultistreamCodec.NA, options.maxMessageLength()));
      }
    }

    private void succeed(String protocol) {
      done = true;
      cancelTimer();
      duplex.pause();
      duplex.exceptionHandler(null);
      promise.complete(
          new Negotiated(protocol, new PrefixedDuplex(context, duplex, reader.remaining())));
    }

    private void fail(Throwable cause) {
      if (done) {
        return;
      }
      done = true;
      cancelTimer();
      MultistreamException e =
          cause instanceof MultistreamException me
              ? me
              : new MultistreamException(
                  "connection failed during multistream-select negotiation: " + cause, cause);
      LOG.log(
          e instanceof ProtocolNotSupportedException ? Level.DEBUG : Level.INFO,
          "closing {0}: {1}",
          duplex,
          e.getMessage());
      duplex.close();
      promise.tryFail(e);
    }

    private void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private static String printable(String m) {
      String cut = m.length() > 64 ? m.substring(0, 64) + "…" : m;
      return cut.replaceAll("\\p{Cntrl}", "?");
    }
  }
}
