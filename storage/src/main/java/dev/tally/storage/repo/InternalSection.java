package dev.tally.storage.repo;

import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.client.ClientOptions;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.server.ServerOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The config's {@code Internal} section: the Bitswap server's, client's and wire limits ({@code
 * Internal.Bitswap}) and the {@code /tally/dag} protocol's ({@code Internal.Dag}, see {@link
 * DagKeys}), applied when the daemon starts. Kubo's names where Kubo has the key ({@code
 * EngineBlockstoreWorkerCount}, {@code MaxOutstandingBytesPerPeer}, {@code WantHaveReplaceSize}),
 * boxo's or ours otherwise (ADR 034, ADR 038). Kubo's {@code TaskWorkerCount} and {@code
 * EngineTaskWorkerCount} size goroutine pools that Tally does not have (its sends run on the
 * connection's event loop), so they are unknown keys.
 *
 * <pre>{@code
 * "Internal": {
 *   "Bitswap": {
 *     "EngineBlockstoreWorkerCount": 8,        // blockstore reads in flight, all peers
 *     "MaxBlockstoreReadsPerPeer": 4,          // of those, for one peer
 *     "MaxOutstandingBytesPerPeer": 1048576,   // bytes queued to one peer before waiting for it
 *     "MaxQueuedWantlistEntriesPerPeer": 1024, // wants kept per peer; more are dropped
 *     "TargetMessageSize": 524288,             // block bytes per response message
 *     "WantHaveReplaceSize": 1024,             // a want-have for a block this small gets the block
 *     "MaxMessageSize": 4194304,               // largest message sent or accepted
 *     "MaxBlockSize": 2097152,                 // largest block accepted
 *     "MaxCidLength": 256,                     // longest CID accepted in a want or presence
 *     "MaxUploadBytesPerSecond": 0,            // block bytes sent to all peers per second; 0: no cap
 *     "MaxLiveWantsPerSession": 64,            // wants one fetch has out at peers at once
 *     "MaxQueuedWantsPerSession": 100000,      // wants one fetch holds back; more fail at once
 *     "WantReaskDelay": "5s",                  // an unanswered want is asked again (elsewhere)
 *     "WantTimeout": "60s",                    // a want no peer answered in this long fails
 *     "MaxBlocksInFlightPerFetch": 64,         // blocks one DAG fetch (a pin) has in flight
 *     "MaxBlocksPerFetch": 10000000            // blocks one DAG fetch may visit
 *   },
 *   "Dag": { "MaxRoots": 1024, ... }           // the /tally/dag protocol (DagKeys)
 * }
 * }</pre>
 *
 * @param server the server's want, read and batch limits
 * @param messages the wire limits every message is checked against
 * @param maxOutstandingBytesPerPeer bytes queued on one peer's stream before the server waits
 * @param maxUploadBytesPerSecond block bytes sent to all peers per second, Bitswap and {@code
 *     /tally/dag} answers together; 0 for no cap
 * @param client the Bitswap client's want bounds and timers (its {@code askedMemory}, a bookkeeping
 *     bound no user would tune, stays the built-in one)
 * @param maxBlocksInFlightPerFetch blocks one DAG fetch has in flight
 * @param maxBlocksPerFetch blocks one DAG fetch may visit
 * @param dag the {@code /tally/dag/1.0.0} protocol's limits ({@code Internal.Dag.*})
 */
public record InternalSection(
    ServerOptions server,
    MessageLimits messages,
    long maxOutstandingBytesPerPeer,
    long maxUploadBytesPerSecond,
    ClientOptions client,
    int maxBlocksInFlightPerFetch,
    long maxBlocksPerFetch,
    DagOptions dag) {
  private static final String P = "Internal.Bitswap.";
  private static final int MAX_WORKERS = 1024;
  private static final long MIN_UPLOAD_RATE = 64 * 1024;
  private static final long MAX_UPLOAD_RATE = 1L << 40;

  /** Room in a message beside its blocks: CIDs, prefixes, presences and framing. */
  private static final int MESSAGE_ROOM = 64 * 1024;

  private static final Set<String> KEYS =
      Set.of(
          "EngineBlockstoreWorkerCount",
          "MaxBlockstoreReadsPerPeer",
          "MaxOutstandingBytesPerPeer",
          "MaxQueuedWantlistEntriesPerPeer",
          "TargetMessageSize",
          "WantHaveReplaceSize",
          "MaxMessageSize",
          "MaxBlockSize",
          "MaxCidLength",
          "MaxUploadBytesPerSecond",
          "MaxLiveWantsPerSession",
          "MaxQueuedWantsPerSession",
          "WantReaskDelay",
          "WantTimeout",
          "MaxBlocksInFlightPerFetch",
          "MaxBlocksPerFetch");

  /** Validates as a config file is: a value set in code is held to the file's ranges. */
  public InternalSection {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(dag, "dag");
    read(
        new Parts(
                server,
                messages,
                maxOutstandingBytesPerPeer,
                maxUploadBytesPerSecond,
                client,
                maxBlocksInFlightPerFetch,
                maxBlocksPerFetch,
                dag)
            .json());
  }

  public static InternalSection defaults() {
    return parse(new JsonObject());
  }

  /** {@code base} with this section's limits; the rest of {@code base} is kept. */
  public ExchangeOptions applyTo(ExchangeOptions base) {
    return new ExchangeOptions(
        messages,
        server,
        client,
        dag,
        maxOutstandingBytesPerPeer,
        maxBlocksInFlightPerFetch,
        maxBlocksPerFetch,
        base.idleStreamTimeout(),
        maxUploadBytesPerSecond);
  }

  static InternalSection parse(JsonObject section) {
    Parts p = read(section);
    return new InternalSection(
        p.server(),
        p.messages(),
        p.maxOutstandingBytesPerPeer(),
        p.maxUploadBytesPerSecond(),
        p.client(),
        p.maxBlocksInFlightPerFetch(),
        p.maxBlocksPerFetch(),
        p.dag());
  }

  JsonObject toJson() {
    return new Parts(
            server,
            messages,
            maxOutstandingBytesPerPeer,
            maxUploadBytesPerSecond,
            client,
            maxBlocksInFlightPerFetch,
            maxBlocksPerFetch,
            dag)
        .json();
  }

  /** The section's values, apart from the record, whose constructor validates through them. */
  private record Parts(
      ServerOptions server,
      MessageLimits messages,
      long maxOutstandingBytesPerPeer,
      long maxUploadBytesPerSecond,
      ClientOptions client,
      int maxBlocksInFlightPerFetch,
      long maxBlocksPerFetch,
      DagOptions dag) {

    JsonObject json() {
      return new JsonObject()
          .put(
              "Bitswap",
              bitswapJson(server, messages, maxOutstandingBytesPerPeer, maxUploadBytesPerSecond)
                  .put("MaxLiveWantsPerSession", client.maxLiveWants())
                  .put("MaxQueuedWantsPerSession", client.maxQueuedWants())
                  .put("WantReaskDelay", LogSection.text(client.reaskAfter()))
                  .put("WantTimeout", LogSection.text(client.wantTimeout()))
                  .put("MaxBlocksInFlightPerFetch", maxBlocksInFlightPerFetch)
                  .put("MaxBlocksPerFetch", maxBlocksPerFetch))
          .put("Dag", DagKeys.toJson(dag));
    }
  }

  private static Parts read(JsonObject section) {
    LogSection.rejectUnknown(section, Set.of("Bitswap", "Dag"), "Internal.");
    JsonObject b = Knobs.object(section, "Internal.", "Bitswap");
    Serving server = bitswap(b);
    ExchangeOptions d = ExchangeOptions.defaults();
    ClientOptions dc = d.client();
    Duration hour = Duration.ofHours(1);
    ClientOptions client =
        new ClientOptions(
            Knobs.intCount(b, P, "MaxLiveWantsPerSession", dc.maxLiveWants(), 1, 65_536),
            Knobs.intCount(b, P, "MaxQueuedWantsPerSession", dc.maxQueuedWants(), 0, 10_000_000),
            // Under 100 ms a slow peer would be asked again before it could answer.
            Knobs.duration(b, P, "WantReaskDelay", dc.reaskAfter(), Duration.ofMillis(100), hour),
            Knobs.duration(b, P, "WantTimeout", dc.wantTimeout(), Duration.ofSeconds(1), hour),
            dc.askedMemory());
    return new Parts(
        server.server(),
        server.messages(),
        server.maxOutstandingBytesPerPeer(),
        server.maxUploadBytesPerSecond(),
        client,
        Knobs.intCount(b, P, "MaxBlocksInFlightPerFetch", d.dagParallelism(), 1, 65_536),
        Knobs.count(b, P, "MaxBlocksPerFetch", d.maxDagBlocks(), 1, 1_000_000_000_000L),
        DagKeys.parse(Knobs.object(section, "Internal.", "Dag"), server.messages().maxBlockSize()));
  }

  /** The server's and wire keys of {@code Internal.Bitswap}. */
  private record Serving(
      ServerOptions server,
      MessageLimits messages,
      long maxOutstandingBytesPerPeer,
      long maxUploadBytesPerSecond) {}

  private static Serving bitswap(JsonObject b) {
    LogSection.rejectUnknown(b, KEYS, P);
    ExchangeOptions d = ExchangeOptions.defaults();
    ServerOptions ds = d.server();
    MessageLimits dm = d.messages();
    int message = Knobs.intCount(b, P, "MaxMessageSize", dm.maxMessageSize(), 128 * 1024, 1 << 26);
    // A message must carry the largest block, and a full batch of smaller ones, with room to spare.
    String room = P + "MaxMessageSize less 64 KiB";
    int block =
        Knobs.intCount(b, P, "MaxBlockSize", dm.maxBlockSize(), 1024, message - MESSAGE_ROOM, room);
    int target =
        Knobs.intCount(
            b, P, "TargetMessageSize", ds.targetMessageBytes(), 1024, message - MESSAGE_ROOM, room);
    ServerOptions server =
        new ServerOptions(
            Knobs.intCount(
                b, P, "MaxQueuedWantlistEntriesPerPeer", ds.maxWantlistEntries(), 1, 1_000_000),
            Knobs.intCount(b, P, "EngineBlockstoreWorkerCount", ds.workers(), 1, MAX_WORKERS),
            Knobs.intCount(b, P, "MaxBlockstoreReadsPerPeer", ds.maxReadsPerPeer(), 1, MAX_WORKERS),
            target,
            // 0 answers every want-have with a presence, as Kubo's WantHaveReplaceSize 0 does.
            Knobs.intCount(
                b, P, "WantHaveReplaceSize", ds.inlineHaveLimit(), 0, block, P + "MaxBlockSize"));
    MessageLimits messages =
        new MessageLimits(
            message, block, Knobs.intCount(b, P, "MaxCidLength", dm.maxCidLength(), 34, 4096));
    long outstanding =
        Knobs.count(
            b, P, "MaxOutstandingBytesPerPeer", d.maxOutstandingBytesPerPeer(), 1024, 1L << 30);
    // 0 is no cap. Below 64 KiB/s a 2 MiB block would take over 30 s to leave, half our client's
    // 60 s want timeout, so peers would give up on us rather than get the blocks slowly.
    long upload =
        Knobs.count(
            b, P, "MaxUploadBytesPerSecond", d.maxUploadBytesPerSecond(), 0, MAX_UPLOAD_RATE);
    if (upload != 0 && upload < MIN_UPLOAD_RATE) {
      throw new RepoException(
          "config: '"
              + P
              + "MaxUploadBytesPerSecond' must be 0 (no cap) or at least "
              + MIN_UPLOAD_RATE
              + ", got "
              + upload);
    }
    return new Serving(server, messages, outstanding, upload);
  }

  private static JsonObject bitswapJson(
      ServerOptions server,
      MessageLimits messages,
      long maxOutstandingBytesPerPeer,
      long maxUploadBytesPerSecond) {
    return new JsonObject()
        .put("EngineBlockstoreWorkerCount", server.workers())
        .put("MaxBlockstoreReadsPerPeer", server.maxReadsPerPeer())
        .put("MaxOutstandingBytesPerPeer", maxOutstandingBytesPerPeer)
        .put("MaxQueuedWantlistEntriesPerPeer", server.maxWantlistEntries())
        .put("TargetMessageSize", server.targetMessageBytes())
        .put("WantHaveReplaceSize", server.inlineHaveLimit())
        .put("MaxMessageSize", messages.maxMessageSize())
        .put("MaxBlockSize", messages.maxBlockSize())
        .put("MaxCidLength", messages.maxCidLength())
        .put("MaxUploadBytesPerSecond", maxUploadBytesPerSecond);
  }
}
