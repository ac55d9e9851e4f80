package dev.tally.bench;

import dev.tally.plugin.LendingSource;
import dev.tally.plugin.PluginHost;
import dev.tally.plugin.PluginHttp;
import dev.tally.plugin.PluginOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Latency of the plugin query paths a back office calls most, over HTTP on loopback as a client
 * sees them: {@code GET /plugins/loan-book/loans/ID} (one loan with its schedule) and {@code GET
 * /plugins/delinquency/report} (buckets and PAR over every loan), with 100,000 loans. The anchor is
 * the same HTTP round trip answered without a plugin (the API server's 404), measured in the same
 * run; the goal is p99 under 10 ms. Also prints what the first delinquency query after the heads
 * move costs (the plugin re-indexes every loan once per heads).
 *
 * <pre>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.PluginQueryBench
 *     [--loans 100000] [--queries 20000] [--seed 2026]}</pre>
 */
public final class PluginQueryBench {
  private static final double GOAL_MS = 10;

  private PluginQueryBench() {}

  public static void main(String[] args) throws Exception {
    int loans = 100_000;
    int queries = 20_000;
    long seed = 2026;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--loans" -> loans = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: PluginQueryBench [--loans N] [--queries N] [--seed N]");
      }
    }
    System.out.printf(
        "PluginQueryBench: JDK %s (%s), %d cores, load average %s%n",
        Runtime.version(),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    long t0 = System.nanoTime();
    BenchLoans book = new BenchLoans(loans, seed);
    System.out.printf(
        "%,d loans, %,d installments each, built in %.1f s%n",
        loans, BenchLoans.INSTALLMENTS, (System.nanoTime() - t0) / 1e9);

    Path dir = Files.createTempDirectory("plugin-bench");
    LendingSource source = book.source();
    PluginOptions options = PluginOptions.defaults(dir.resolve("plugins")).inMemory();
    Vertx vertx = Vertx.vertx();
    try (PluginHost host = PluginHost.start(options, source)) {
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(
                  new PluginHttp(host, r -> r.response().setStatusCode(404).end("404\n")))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .join();
      String base = "http://127.0.0.1:" + server.actualPort();
      HttpClient http = HttpClient.newHttpClient();
      SplittableRandom random = new SplittableRandom(seed);
      int n = queries;
      int total = loans;

      double[] anchor = measure(http, n, i -> base + "/api/v0/none", 404);
      double[] loan =
          measure(
              http,
              n,
              i -> base + "/plugins/loan-book/loans/" + BenchLoans.id(random.nextInt(total)),
              200);
      double[] report =
          measure(http, Math.max(100, n / 10), i -> base + "/plugins/delinquency/report", 200);
      double[] overdue =
          measure(
              http, Math.max(100, n / 10), i -> base + "/plugins/delinquency/loans?limit=100", 200);
      double[] rebuild = new double[20];
      for (int i = 0; i < rebuild.length; i++) {
        book.moveHeads(i);
        // No warm-up here: the first query after the heads move is the one that re-indexes.
        rebuild[i] = timed(http, 1, x -> base + "/plugins/delinquency/report", 200)[0];
      }
      Arrays.sort(rebuild);

      System.out.printf(
          "%-44s %9s %9s %12s %14s%n", "query", "p50 ms", "p99 ms", "p99 / 10 ms", "p50 / anchor");
      row("anchor: HTTP round trip, no plugin", anchor, anchor);
      row("loan ID (loan-book /loans/{id})", loan, anchor);
      row("delinquency report (buckets, PAR)", report, anchor);
      row("overdue loans, top 100 (delinquency /loans)", overdue, anchor);
      row("delinquency report, first after new heads", rebuild, anchor);
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private interface Url {
    String of(int i);
  }

  private static double[] measure(HttpClient http, int n, Url url, int status) throws Exception {
    // Warm-up: JIT-compile the path, fill the plugins' per-heads indexes.
    for (int i = 0; i < Math.min(n, 2000); i++) {
      send(http, url.of(i), status);
    }
    return timed(http, n, url, status);
  }

  private static double[] timed(HttpClient http, int n, Url url, int status) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      String u = url.of(i);
      long t = System.nanoTime();
      send(http, u, status);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static void send(HttpClient http, String url, int status) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          url + " answered " + r.statusCode() + ": " + new String(r.body()));
    }
  }

  private static void row(String what, double[] sorted, double[] anchor) {
    double p50 = pct(sorted, 0.50);
    double p99 = pct(sorted, 0.99);
    System.out.printf(
        "%-44s %9.3f %9.3f %12.3f %14.2f%n",
        what, p50, p99, p99 / GOAL_MS, p50 / pct(anchor, 0.50));
  }

  private static double pct(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
