package dev.tally.bench;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.UnixfsExporter;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * HTTP benchmark (issue 7): {@code add} of a file over the RPC API vs the in-process import of the
 * same file into a repo (both pin), gateway {@code GET} of a file vs reading it from the blockstore
 * through the exporter, and {@code block/stat} requests per second with 64 concurrent clients. All
 * on 127.0.0.1, with the daemon in this JVM.
 *
 * <p>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.HttpBench [--add-mib
 * 1024] [--get-mib 256] [--clients 64] [--seconds 10] [--work DIR]}
 */
public final class HttpBench {
  private static final double MB = 1e6;

  private HttpBench() {}

  public static void main(String[] argv) throws Exception {
    int addMib = 1024;
    int getMib = 256;
    int clients = 64;
    int seconds = 10;
    Path work = null;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--add-mib" -> addMib = Integer.parseInt(argv[++i]);
        case "--get-mib" -> getMib = Integer.parseInt(argv[++i]);
        case "--clients" -> clients = Integer.parseInt(argv[++i]);
        case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
        case "--work" -> work = Path.of(argv[++i]);
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    if (work == null) {
      work = Files.createTempDirectory("tally-http-bench");
    }
    System.out.printf(
        "HttpBench on %s %s (%s), %d cores, load average %.2f%n",
        System.getProperty("java.vm.name"),
        Runtime.version(),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try {
      run(work, addMib, getMib, clients, seconds);
    } finally {
      delete(work);
    }
  }

  private static void run(Path work, int addMib, int getMib, int clients, int seconds)
      throws Exception {
    Path file = work.resolve("input.bin");
    write(file, (long) addMib << 20, 7);
    long size = Files.size(file);

    // Anchor: the same import in process, pinned, into a fresh repo.
    double importSeconds;
    Cid anchorRoot;
    try (Repo repo = Repo.init(work.resolve("anchor"), RepoConfig.defaults());
        BlockLeases.Lease lease = repo.leases().open()) {
      long t0 = System.nanoTime();
      ImportedEntry root =
          new UnixfsImporter(lease.guard(repo.blocks()), ImportOptions.defaults()).importPath(file);
      repo.pins().pinImported(root.cid(), "");
      importSeconds = (System.nanoTime() - t0) / 1e9;
      anchorRoot = root.cid();
    }

    Multiaddr ephemeral = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    Daemon daemon =
        Daemon.start(
            Repo.init(
                work.resolve("daemon"),
                RepoConfig.defaults()
                    .withAddresses(ephemeral, ephemeral)
                    .withSwarm(List.of(ephemeral))),
            "bench",
            HttpLimits.defaults());
    try {
      String api = "http://127.0.0.1:" + port(daemon.apiAddress()) + "/api/v0/";
      String gateway = "http://127.0.0.1:" + port(daemon.gatewayAddress());
      HttpClient http = HttpClient.newHttpClient();

      long t0 = System.nanoTime();
      Cid added = add(http, api, file);
      double addSeconds = (System.nanoTime() - t0) / 1e9;
      if (!added.equals(anchorRoot)) {
        throw new IllegalStateException("HTTP add gave " + added + ", in-process " + anchorRoot);
      }
      print("add over HTTP", size, addSeconds, "in-process import", size, importSeconds, 0.8);

      Path small = work.resolve("get.bin");
      write(small, (long) getMib << 20, 11);
      Cid getRoot = add(http, api, small);
      long getSize = Files.size(small);
      double readSeconds = Double.MAX_VALUE;
      double getSeconds = Double.MAX_VALUE;
      for (int run = 0; run < 3; run++) {
        long r0 = System.nanoTime();
        try (InputStream in =
            new UnixfsExporter(daemon.repo().blocks()).open(getRoot, 0, Long.MAX_VALUE)) {
          drain(in, getSize);
        }
        readSeconds = Math.min(readSeconds, (System.nanoTime() - r0) / 1e9);
        long g0 = System.nanoTime();
        HttpResponse<InputStream> r =
            http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/ipfs/" + getRoot)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
          drain(in, getSize);
        }
        getSeconds = Math.min(getSeconds, (System.nanoTime() - g0) / 1e9);
      }
      print(
          "gateway GET (best of 3)",
          getSize,
          getSeconds,
          "blockstore read",
          getSize,
          readSeconds,
          0.8);

      double rps = blockStat(api, added, clients, seconds);
      System.out.printf(
          "%-28s %10.0f req/s   (%d concurrent clients, %d s, keep-alive)%n",
          "block/stat of a present CID", rps, clients, seconds);
    } finally {
      daemon.stop();
    }
  }

  private static void print(
      String what, long bytes, double s, String anchor, long anchorBytes, double as, double goal) {
    double rate = bytes / MB / s;
    double anchorRate = anchorBytes / MB / as;
    System.out.printf(
        "%-28s %8.0f MB/s   %-20s %8.0f MB/s   ratio %.2f (goal >= %.2f)%n",
        what, rate, anchor, anchorRate, rate / anchorRate, goal);
  }

  private static Cid add(HttpClient http, String api, Path file) throws Exception {
    String boundary = "tally-bench";
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"input.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + "add?pin=true&quieter=true"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> {
                      try {
                        return new SequenceInputStream(
                            Collections.enumeration(
                                List.of(
                                    new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                                    Files.newInputStream(file),
                                    new ByteArrayInputStream(
                                        tail.getBytes(StandardCharsets.UTF_8)))));
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("add failed: " + r.statusCode() + " " + r.body());
    }
    String last = r.body().strip().lines().reduce((a, b) -> b).orElseThrow();
    return Cid.parse(new JsonObject(last).getString("Hash"));
  }

  private static double blockStat(String api, Cid cid, int clients, int seconds)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    URI uri = URI.create(api + "block/stat?arg=" + cid);
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                HttpClient own = HttpClient.newHttpClient();
                HttpRequest req =
                    HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build();
                while (System.nanoTime() < end) {
                  try {
                    int status = own.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    (status == 200 ? done : failed).incrementAndGet();
                  } catch (IOException e) {
                    failed.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    if (failed.get() > 0) {
      System.out.printf("  (%d block/stat requests failed or got 503)%n", failed.get());
    }
    return done.get() / elapsed;
  }

  private static void drain(InputStream in, long expected) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      total += n;
    }
    if (total != expected) {
      throw new IllegalStateException("read " + total + " bytes, expected " + expected);
    }
  }

  /** Pseudo-random bytes (incompressible, not deduplicated by chunking). */
  private static void write(Path file, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buf[i + b] = (byte) (v >>> (8 * b));
          }
        }
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  private static int port(Multiaddr address) {
    return Integer.parseInt(address.toString().split("/")[4]);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
