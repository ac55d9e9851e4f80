package dev.tally.exchange;

import dev.tally.exchange.client.ClientOptions;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.server.ServerOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the exchange.
 *
 * @param messages wire limits (message, block and CID sizes)
 * @param server the server's wantlist, worker and batch limits
 * @param client the client's live-want bound and timers
 * @param dag the {@code /tally/dag/1.0.0} protocol's limits, both sides
 * @param maxOutstandingBytesPerPeer bytes queued on one peer's stream before the server waits for
 *     it to drain (1 MiB)
 * @param dagParallelism blocks one {@link DagFetch} has in flight
 * @param maxDagBlocks blocks one {@link DagFetch} may visit
 * @param idleStreamTimeout an outgoing Bitswap stream idle this long is closed (below Helia's 10 s
 *     receive timeout, so the remote never resets a stream we are writing to; not a config key, as
 *     the peers' timeout fixes it, ADR 038)
 * @param maxUploadBytesPerSecond block bytes this node sends to all peers per second, Bitswap and
 *     DAG responses together; 0 for no cap
 */
public record ExchangeOptions(
    MessageLimits messages,
    ServerOptions server,
    ClientOptions client,
    DagOptions dag,
    long maxOutstandingBytesPerPeer,
    int dagParallelism,
    long maxDagBlocks,
    Duration idleStreamTimeout,
    long maxUploadBytesPerSecond) {

  public ExchangeOptions {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(dag, "dag");
    Objects.requireNonNull(idleStreamTimeout, "idleStreamTimeout");
    if (maxOutstandingBytesPerPeer < 1
        || dagParallelism < 1
        || maxDagBlocks < 1
        || idleStreamTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("exchange limits must be positive");
    }
    if (maxUploadBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "maxUploadBytesPerSecond must not be negative (0: no cap)");
    }
  }

  public static ExchangeOptions defaults() {
    return new ExchangeOptions(
        MessageLimits.defaults(),
        ServerOptions.defaults(),
        ClientOptions.defaults(),
        DagOptions.defaults(),
        1024 * 1024,
        64,
        10_000_000,
        Duration.ofSeconds(5),
        0);
  }

  public ExchangeOptions withClient(ClientOptions c) {
    return new ExchangeOptions(
        messages,
        server,
        c,
        dag,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        maxUploadBytesPerSecond);
  }

  public ExchangeOptions withIdleStreamTimeout(Duration d) {
    return new ExchangeOptions(
        messages,
        server,
        client,
        dag,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        d,
        maxUploadBytesPerSecond);
  }

  public ExchangeOptions withServer(ServerOptions s) {
    return new ExchangeOptions(
        messages,
        s,
        client,
        dag,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        maxUploadBytesPerSecond);
  }

  public ExchangeOptions withDag(DagOptions d) {
    return new ExchangeOptions(
        messages,
        server,
        client,
        d,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        maxUploadBytesPerSecond);
  }

  public ExchangeOptions withMessages(MessageLimits m) {
    return new ExchangeOptions(
        m,
        server,
        client,
        dag,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        maxUploadBytesPerSecond);
  }

  public ExchangeOptions withMaxOutstandingBytesPerPeer(long bytes) {
    return new ExchangeOptions(
        messages,
        server,
        client,
        dag,
        bytes,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        maxUploadBytesPerSecond);
  }

  /** The same options with uploads capped at {@code bytesPerSecond} (0: no cap). */
  public ExchangeOptions withMaxUploadBytesPerSecond(long bytesPerSecond) {
    return new ExchangeOptions(
        messages,
        server,
        client,
        dag,
        maxOutstandingBytesPerPeer,
        dagParallelism,
        maxDagBlocks,
        idleStreamTimeout,
        bytesPerSecond);
  }
}
