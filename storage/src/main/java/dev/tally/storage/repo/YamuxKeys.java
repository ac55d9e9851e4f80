package dev.tally.storage.repo;

import dev.tally.net.yamux.YamuxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The config's {@code Swarm.Yamux} keys: each connection's Yamux session limits. Kubo has none;
 * where go-yamux's {@code Config} has the concept we take its name (ADR 034).
 *
 * <pre>{@code
 * "Yamux": {
 *   "MaxStreams": 256,                 // open streams per connection, both directions; more: RST
 *   "MaxStreamWindowSize": 16777216,   // receive window one stream may auto-tune up to
 *   "MaxWindowGrowth": 67108864,       // growth beyond 256 KiB per stream, all streams together
 *   "MaxMessageSize": 65536,           // largest data frame sent, header included
 *   "WriteQueueMaxSize": 65536,        // bytes a stream queues while the peer's window is shut
 *   "KeepAliveInterval": "30s",        // ping an idle connection this often; "0s": never
 *   "PingTimeout": "10s",              // an unanswered keep-alive ping closes the connection
 *   "StreamCloseTimeout": "5m",        // wait for the peer's FIN after ours, then reset
 *   "InitialAcceptBacklog": 10,        // unacknowledged streams we open before the peer's 1st ACK
 *   "AcceptBacklog": 256,              // unacknowledged streams we open after it
 *   "StreamOpenTimeout": "75s",        // an open held by the backlog fails after this
 *   "QueuedRetentionRatio": 2          // bytes kept alive per byte queued for a paused reader
 * }
 * }</pre>
 */
final class YamuxKeys {
  private YamuxKeys() {}

  private static final String P = SwarmSection.PREFIX + "Yamux.";
  private static final int MAX_COUNT = 65_536;
  private static final Duration MS = Duration.ofMillis(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Set<String> KEYS =
      Set.of(
          "MaxStreams",
          "MaxStreamWindowSize",
          "MaxWindowGrowth",
          "MaxMessageSize",
          "WriteQueueMaxSize",
          "KeepAliveInterval",
          "PingTimeout",
          "StreamCloseTimeout",
          "InitialAcceptBacklog",
          "AcceptBacklog",
          "StreamOpenTimeout",
          "QueuedRetentionRatio");

  static YamuxOptions parse(JsonObject y) {
    LogSection.rejectUnknown(y, KEYS, P);
    YamuxOptions d = YamuxOptions.defaults();
    int header = YamuxOptions.FRAME_HEADER_SIZE;
    int backlog = Knobs.intCount(y, P, "AcceptBacklog", d.maxAckBacklog(), 1, MAX_COUNT);
    return new YamuxOptions(
        Knobs.intCount(
            y,
            P,
            "MaxStreamWindowSize",
            d.maxStreamWindow(),
            YamuxOptions.INITIAL_STREAM_WINDOW,
            1 << 30),
        Knobs.count(y, P, "MaxWindowGrowth", d.maxWindowGrowth(), 0, 1L << 40),
        Knobs.intCount(y, P, "MaxStreams", d.maxStreams(), 1, MAX_COUNT),
        // Peers read frames of any length within the window; past 1 MiB one stream's frame would
        // hold up every other stream of the connection for too long.
        Knobs.intCount(y, P, "MaxMessageSize", d.maxFrameLength() + header, 1024, 1 << 20) - header,
        Knobs.intCount(y, P, "WriteQueueMaxSize", d.writeQueueMaxSize(), 1024, 1 << 28),
        Knobs.duration(y, P, "KeepAliveInterval", d.keepAliveInterval(), Duration.ZERO, HOUR),
        Knobs.duration(y, P, "PingTimeout", d.pingTimeout(), MS, Duration.ofMinutes(10)),
        Knobs.duration(y, P, "StreamCloseTimeout", d.streamCloseTimeout(), MS, HOUR),
        Knobs.intCount(
            y, P, "InitialAcceptBacklog", d.initialAckBacklog(), 1, backlog, P + "AcceptBacklog"),
        backlog,
        Knobs.duration(y, P, "StreamOpenTimeout", d.streamOpenTimeout(), MS, HOUR),
        Knobs.intCount(y, P, "QueuedRetentionRatio", d.queuedRetentionRatio(), 1, 1024));
  }

  static JsonObject toJson(YamuxOptions o) {
    return new JsonObject()
        .put("MaxStreams", o.maxStreams())
        .put("MaxStreamWindowSize", o.maxStreamWindow())
        .put("MaxWindowGrowth", o.maxWindowGrowth())
        .put("MaxMessageSize", o.maxFrameLength() + YamuxOptions.FRAME_HEADER_SIZE)
        .put("WriteQueueMaxSize", o.writeQueueMaxSize())
        .put("KeepAliveInterval", LogSection.text(o.keepAliveInterval()))
        .put("PingTimeout", LogSection.text(o.pingTimeout()))
        .put("StreamCloseTimeout", LogSection.text(o.streamCloseTimeout()))
        .put("InitialAcceptBacklog", o.initialAckBacklog())
        .put("AcceptBacklog", o.maxAckBacklog())
        .put("StreamOpenTimeout", LogSection.text(o.streamOpenTimeout()))
        .put("QueuedRetentionRatio", o.queuedRetentionRatio());
  }
}
