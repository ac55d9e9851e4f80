package dev.tally.metrics;

import dev.tally.http.ConnectionGuard;
import dev.tally.http.UploadBudget;
import dev.tally.node.Network;
import dev.tally.node.Node;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's meters: blocks and pins in the repo, connected peers, Bitswap wants and blocks served,
 * HTTP request latencies and response bytes per server and route, and the JVM's. Gauges that need
 * the repo or the exchange are read when Prometheus scrapes, on a worker thread.
 */
public final class NodeMetrics {
  /** Where Kubo serves its Prometheus metrics, on the RPC API's port. */
  public static final String PATH = "/debug/metrics/prometheus";

  private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);
  private static final Duration FUTURE_WAIT = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  public NodeMetrics(Node node, LongSupplier blockCount, Network network) {
    Gauge.builder("tally.blockstore.blocks", blockCount::getAsLong)
        .description("Blocks in the repo's blockstore")
        .register(registry);
    Gauge.builder("tally.pins", () -> node.pins().recursiveRoots().size())
        .tag("type", "recursive")
        .description("Pins in the repo")
        .register(registry);
    Gauge.builder("tally.pins", () -> node.pins().directRoots().size())
        .tag("type", "direct")
        .description("Pins in the repo")
        .register(registry);
    Gauge.builder("tally.swarm.peers", () -> network.host().connections().size())
        .description("Open libp2p connections")
        .register(registry);
    Gauge.builder("tally.bitswap.wants", () -> await(network.exchange().wantlist()).size())
        .description("Blocks this node is waiting for from peers")
        .register(registry);
    FunctionCounter.builder(
            "tally.bitswap.blocks.sent",
            network,
            n -> await(n.exchange().blocksServed()).doubleValue())
        .description("Blocks sent to peers")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** Gauges and counters of {@code server}'s connections (open, displaced, spared, timed out). */
  public void connections(String server, ConnectionGuard guard) {
    Gauge.builder("tally.http.connections", guard::open)
        .tag("server", server)
        .description("Open HTTP connections")
        .register(registry);
    FunctionCounter.builder("tally.http.connections.displaced", guard, ConnectionGuard::displaced)
        .tag("server", server)
        .description("Connections closed to make room for newer ones (at HTTP.MaxConnections)")
        .register(registry);
    FunctionCounter.builder("tally.http.connections.spared", guard, ConnectionGuard::spared)
        .tag("server", server)
        .description("Connections chosen for displacement whose request head had already arrived")
        .register(registry);
    FunctionCounter.builder("tally.http.connections.timed.out", guard, ConnectionGuard::timedOut)
        .tag("server", server)
        .description("Connections closed for not sending a request head in time")
        .register(registry);
  }

  /**
   * The gateway's file bytes sent by {@code sendfile} from the packs (ADR 044), and the pack
   * descriptors its responses hold open now (each response's own, closed after its last region).
   */
  public void gatewayFiles(LongSupplier bytesFromFiles, LongSupplier descriptorsOpen) {
    // A FunctionCounter holds its object weakly: the supplier must live as long as these metrics.
    held.add(bytesFromFiles);
    FunctionCounter.builder("tally.gateway.sendfile", bytesFromFiles, b -> (double) b.getAsLong())
        .baseUnit("bytes")
        .description("Gateway file response bytes sent from pack files by sendfile")
        .register(registry);
    Gauge.builder("tally.gateway.sendfile.descriptors", descriptorsOpen::getAsLong)
        .description("Pack file descriptors held open by gateway responses")
        .register(registry);
  }

  /** What {@code server}'s streamed uploads hold ahead of their importers, against the budget. */
  public void uploads(String server, UploadBudget budget) {
    Gauge.builder("tally.http.upload.buffered", budget::held)
        .tag("server", server)
        .baseUnit("bytes")
        .description(
            "Upload bytes received and not yet read by their importers (HTTP.UploadBudget)")
        .register(registry);
    Gauge.builder("tally.http.upload.budget", budget::budget)
        .tag("server", server)
        .baseUnit("bytes")
        .description("HTTP.UploadBudget: what all uploads of the server may hold at once")
        .register(registry);
  }

  private static <T> T await(Future<T> future) {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(FUTURE_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
        .join();
  }

  /**
   * {@code inner} with each request's latency and response size recorded under {@code server} and
   * the route {@code route} names (a bounded set of names: unknown paths map to one name).
   */
  public Handler<HttpServerRequest> timed(
      String server, Function<HttpServerRequest, String> route, Handler<HttpServerRequest> inner) {
    return request -> {
      long start = System.nanoTime();
      String name = route.apply(request);
      // bodyEndHandler: endHandler belongs to ConcurrencyLimit, which releases its permit there.
      request
          .response()
          .bodyEndHandler(
              v -> {
                List<io.micrometer.core.instrument.Tag> tags =
                    List.of(
                        io.micrometer.core.instrument.Tag.of("server", server),
                        io.micrometer.core.instrument.Tag.of("route", name),
                        io.micrometer.core.instrument.Tag.of(
                            "status", Integer.toString(request.response().getStatusCode())));
                Timer.builder("tally.http.server.requests")
                    .tags(tags)
                    .register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - start));
                DistributionSummary.builder("tally.http.server.response.bytes")
                    .baseUnit("bytes")
                    .tags(tags)
                    .register(registry)
                    .record(request.response().bytesWritten());
              });
      inner.handle(request);
    };
  }

  /** Answers a scrape with the Prometheus text format (0.0.4). */
  public void scrape(HttpServerRequest request, WorkerExecutor workers) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    workers
        .executeBlocking(registry::scrape, false)
        .onSuccess(
            text ->
                request
                    .response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(text))
        .onFailure(
            e -> {
              LOG.warn("metrics scrape failed", e);
              request.response().setStatusCode(500).end("metrics scrape failed\n");
            });
  }

  public void close() {
    gc.close();
    registry.close();
  }
}
