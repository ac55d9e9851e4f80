package dev.tally.bench;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.Profile;
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
 * HTTP benchmark (issue 7): {@code add} of a file over the RPC API vs the in-process import of a
 * file of the same size into the daemon's own store (both with the repo's profile, both pinned; the
 * HTTP root is checked against the in-process importer's CID for the same bytes), gateway {@code
 * GET} of a file vs reading it from the same blockstore through the exporter, and {@code
 * block/stat} requests per second with 64 concurrent clients. All on 127.0.0.1, with the daemon and
 * the HTTP/1.1 client in this JVM, so the CPU seconds printed count both sides.
 *
 * <p>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.HttpBench [--add-mib
 * 1024] [--get-mib 256] [--clients 64] [--seconds 10] [--warmups 6] [--warmup-mib 256]
 * [--get-warmups 24] [--request-warmups 3000] [--add-runs 3] [--get-runs 5] [--work DIR]
 * [--threads] [--client plain|jdk]}
 */
public final class HttpBench {
  private static final double MB = 1e6;

  private HttpBench() {}

  public static void main(String[] argv) throws Exception {
    int addMib = 1024;
    int getMib = 256;
    int clients = 64;
    int seconds = 10;
    int warmups = 6;
    int warmupMib = 256;
    int getWarmups = 24;
    int requestWarmups = 3000;
    int getRuns = 5;
    int addRuns = 3;
    boolean jdkClient = false;
    Path work = Path.of(System.getProperty("java.io.tmpdir"));
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--add-mib" -> addMib = Integer.parseInt(argv[++i]);
        case "--get-mib" -> getMib = Integer.parseInt(argv[++i]);
        case "--clients" -> clients = Integer.parseInt(argv[++i]);
        case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
        case "--warmups" -> warmups = Integer.parseInt(argv[++i]);
        case "--warmup-mib" -> warmupMib = Integer.parseInt(argv[++i]);
        case "--get-warmups" -> getWarmups = Integer.parseInt(argv[++i]);
        case "--request-warmups" -> requestWarmups = Integer.parseInt(argv[++i]);
        case "--get-runs" -> getRuns = Integer.parseInt(argv[++i]);
        case "--add-runs" -> addRuns = Integer.parseInt(argv[++i]);
        case "--work" -> work = Path.of(argv[++i]);
        case "--threads" -> perThread = true;
        case "--client" ->
            jdkClient =
                switch (argv[++i]) {
                  case "jdk" -> true;
                  case "plain" -> false;
                  default -> throw new IllegalArgumentException("--client is plain or jdk");
                };
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    // Everything goes into a fresh directory under --work, and only that directory is deleted.
    Files.createDirectories(work);
    Path dir = Files.createTempDirectory(work, "tally-http-bench");
    System.out.printf(
        "HttpBench on %s %s (%s), %d cores, load average %.2f%n",
        System.getProperty("java.vm.name"),
        Runtime.version(),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try {
      run(
          dir,
          addMib,
          getMib,
          clients,
          seconds,
          new Warmup(warmups, warmupMib, getWarmups, requestWarmups),
          new Runs(addRuns, getRuns),
          jdkClient);
    } finally {
      delete(dir);
    }
    System.out.printf(
        "load average at the end %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Warm-up rounds of each add path before it is timed and the size of each round's input, and
   * warm-up rounds of the GET and the read. A GET writes a piece per block, so six rounds of 256
   * MiB left the response path's per-piece methods short of the JIT's tier-4 thresholds (~6,000
   * calls): the compiler threads then took 0.06-0.16 CPU s during each timed GET, against 0.01-0.07
   * during each read. A GET's per-request code (path resolution, stat, type sniffing, the
   * response's set-up) runs once per request, so 24 + 5 requests left it interpreted: each timed
   * GET waited 5-11 ms for its response head, 4-8 % of a 256 MiB GET, where a daemon that has
   * served a few thousand requests answers in under a millisecond. {@code requests} small GETs (and
   * as many small reads through the exporter, for the anchor) warm it.
   */
  private record Warmup(int rounds, int mib, int getRounds, int requests) {}

  /** Timed runs of each path; the best of each is printed. */
  private record Runs(int add, int get) {
    Runs {
      if (add < 1 || get < 1) {
        throw new IllegalArgumentException("--add-runs and --get-runs must be at least 1");
      }
    }
  }

  /**
   * A timed step: wall seconds, this JVM's CPU seconds (every thread), and the CPU seconds of the
   * thread that ran the step: for an HTTP step that is the client alone.
   */
  private record Timed(double seconds, double cpuSeconds, double callerCpuSeconds) {}

  private interface Step {
    void run() throws Exception;
  }

  private static boolean perThread;

  private static Timed time(Step step) throws Exception {
    java.util.Map<String, Long> before = perThread ? threadCpu() : java.util.Map.of();
    java.util.Map<String, Long> sleeps0 = perThread ? threadSleeps() : java.util.Map.of();
    long[] system0 = perThread ? systemTicks() : new long[0];
    long gc0 = gcMillis();
    long c0 = cpuNanos();
    long caller0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    step.run();
    Timed t =
        new Timed(
            (System.nanoTime() - t0) / 1e9,
            (cpuNanos() - c0) / 1e9,
            (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - caller0) / 1e9);
    if (perThread) {
      java.util.Map<String, Long> after = threadCpu();
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "  machine %s; GC %.2f s (collectors' time); CPU s by thread:",
                  machine(system0, systemTicks()), (gcMillis() - gc0) / 1e3));
      after.entrySet().stream()
          .map(
              e ->
                  java.util.Map.entry(
                      e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() > 5_000_000)
          .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> b.append(String.format(" %s %.2f", e.getKey(), e.getValue() / 1e9)));
      b.append("; sleeps by thread:");
      threadSleeps().entrySet().stream()
          .map(
              e ->
                  java.util.Map.entry(
                      e.getKey(), e.getValue() - sleeps0.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() >= 100)
          .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> b.append(String.format(" %s %d", e.getKey(), e.getValue())));
      System.out.println(b);
    }
    return t;
  }

  /**
   * The machine's CPU ticks since boot from /proc/stat's first line: busy (user, nice, system, irq,
   * softirq, steal) and idle (idle, iowait); empty where there is no /proc.
   */
  private static long[] systemTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return new long[] {busy, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  /**
   * How busy the whole machine was during a step (every process, the kernel's own threads too): a
   * step that leaves cores idle is waiting on something other than CPU.
   */
  private static String machine(long[] t0, long[] t1) {
    if (t0.length < 2 || t1.length < 2) {
      return "busy n/a";
    }
    long busy = t1[0] - t0[0];
    long idle = t1[1] - t0[1];
    return String.format(
        "%.0f %% busy (%.2f of %d cores)",
        100.0 * busy / Math.max(1, busy + idle),
        Runtime.getRuntime().availableProcessors() * (double) busy / Math.max(1, busy + idle),
        Runtime.getRuntime().availableProcessors());
  }

  private static long gcMillis() {
    long sum = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /**
   * Voluntary context switches of live threads (each a wait for a lock, a queue or the socket),
   * summed by name with digits dropped; empty where there is no /proc. A pipeline stage that sleeps
   * once per buffer pays a futex wake-up on both sides each time.
   */
  private static java.util.Map<String, Long> threadSleeps() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (Stream<Path> all = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : all.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              out.merge(
                  name.replaceAll("[0-9]+", "N"),
                  Long.parseLong(line.substring(line.indexOf(':') + 1).strip()),
                  Long::sum);
            }
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      }
    } catch (IOException | RuntimeException e) {
      out.clear();
    }
    return out;
  }

  /**
   * CPU nanoseconds of live threads, summed by name with digits dropped (pools as one). On Linux
   * from /proc, so the JVM's own threads (GC workers, JIT compilers) count too, user and system
   * time both; elsewhere the Java threads from ThreadMXBean.
   */
  private static java.util.Map<String, Long> threadCpu() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      long tick = 10_000_000L; // USER_HZ is 100 on Linux
      try (Stream<Path> all = Files.list(tasks)) {
        for (Path task : all.toList()) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            out.merge(name.replaceAll("[0-9]+", "N"), ticks * tick, Long::sum);
          } catch (IOException | RuntimeException e) {
            // the thread ended while being read
          }
        }
        return out;
      } catch (IOException e) {
        out.clear();
      }
    }
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long cpu = mx.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          out.merge(info.getThreadName().replaceAll("[0-9]+", "N"), cpu, Long::sum);
        }
      }
    }
    return out;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void run(
      Path work,
      int addMib,
      int getMib,
      int clients,
      int seconds,
      Warmup warmup,
      Runs runs,
      boolean jdkClient)
      throws Exception {
    long size = (long) addMib << 20;
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
      Client http =
          jdkClient
              ? new JdkClient(api, "http://127.0.0.1:" + port(daemon.gatewayAddress()))
              : new PlainClient(
                  new PlainHttpClient("127.0.0.1", port(daemon.apiAddress())),
                  new PlainHttpClient("127.0.0.1", port(daemon.gatewayAddress())));
      System.out.println("client: " + (jdkClient ? "JDK HttpClient (HTTP/1.1)" : "plain socket"));
      Repo repo = daemon.repo();
      ImportOptions options =
          ImportOptions.builder(Profile.byName(repo.config().importProfile()).orElseThrow())
              .build();

      // Warm-up of both paths on inputs of their own, --warmups times each: a daemon serves warm,
      // and with two warm-ups the JIT compilers still took 0.5-1.0 CPU s per GiB during the timed
      // runs, on the core the pipeline needs (--threads shows them).
      // Each round's two roots are unpinned and collected after it, so the rounds cost time, not
      // disk: a store that kept them all would need --warmups x 2 x --warmup-mib of it.
      Path warm = work.resolve("warm.bin");
      for (int round = 0; round < warmup.rounds(); round++) {
        write(warm, (long) warmup.mib() << 20, 1000 + 2 * round);
        Cid imported = importInProcess(repo, options, warm);
        write(warm, (long) warmup.mib() << 20, 1001 + 2 * round);
        Cid added = http.add(warm);
        repo.pins().rm(imported, true);
        repo.pins().rm(added, true);
        repo.gc().collect(new GarbageCollector.Listener() {});
      }
      Files.delete(warm);

      // Anchor: what an in-process `tally add` does, into this daemon's own store: import under
      // a GC lease, then pin. Each run gets two fresh inputs of the same size and kind (the
      // store would deduplicate a second import of the same bytes), anchor and HTTP in turn, and
      // the best of each counts, as for the GET.
      Timed anchor = null;
      Timed http1 = null;
      Cid statCid = null;
      for (int run = 0; run < runs.add(); run++) {
        Path anchorFile = work.resolve("anchor.bin");
        Path addFile = work.resolve("add.bin");
        write(anchorFile, size, 7 + 2 * run);
        write(addFile, size, 8 + 2 * run);
        // Anchor and HTTP take turns going first, so neither always runs on the other's
        // leftovers (a store that just grew by 1 GiB, a page cache just filled).
        Cid[] added = new Cid[1];
        Timed a;
        Timed h;
        if (run % 2 == 0) {
          a = time(() -> importInProcess(repo, options, anchorFile));
          h = time(() -> added[0] = http.add(addFile));
        } else {
          h = time(() -> added[0] = http.add(addFile));
          a = time(() -> importInProcess(repo, options, anchorFile));
        }
        // The HTTP add must give the CID the in-process importer gives for the same bytes, and
        // leave it pinned.
        Cid expected = UnixfsImporter.onlyHash(options).importPath(addFile).cid();
        if (!added[0].equals(expected)) {
          throw new IllegalStateException("HTTP add gave " + added[0] + ", in-process " + expected);
        }
        if (!repo.pins().recursiveRoots().contains(added[0])) {
          throw new IllegalStateException("HTTP add did not pin " + added[0]);
        }
        statCid = added[0];
        Files.delete(anchorFile);
        Files.delete(addFile);
        anchor = anchor == null || a.seconds() < anchor.seconds() ? a : anchor;
        http1 = http1 == null || h.seconds() < http1.seconds() ? h : http1;
      }
      print(
          "add over HTTP (best of " + runs.add() + ")",
          size,
          http1,
          "in-process import",
          size,
          anchor,
          0.8);

      Path small = work.resolve("get.bin");
      write(small, (long) getMib << 20, 11);
      Cid getRoot = http.add(small);
      long getSize = Files.size(small);
      Timed read = null;
      Timed get = null;
      for (int run = 0; run < warmup.getRounds(); run++) {
        try (InputStream in = new UnixfsExporter(repo.blocks()).open(getRoot, 0, Long.MAX_VALUE)) {
          drain(in, getSize);
        }
        http.get("/ipfs/" + getRoot, getSize);
      }
      Path tiny = work.resolve("tiny.bin");
      write(tiny, 4096, 12);
      Cid tinyRoot = http.add(tiny);
      for (int run = 0; run < warmup.requests(); run++) {
        try (InputStream in = new UnixfsExporter(repo.blocks()).open(tinyRoot, 0, Long.MAX_VALUE)) {
          drain(in, 4096);
        }
        http.get("/ipfs/" + tinyRoot, 4096);
      }
      for (int run = 0; run < runs.get(); run++) {
        Timed r =
            time(
                () -> {
                  try (InputStream in =
                      new UnixfsExporter(repo.blocks()).open(getRoot, 0, Long.MAX_VALUE)) {
                    drain(in, getSize);
                  }
                });
        read = read == null || r.seconds() < read.seconds() ? r : read;
        Timed g = time(() -> http.get("/ipfs/" + getRoot, getSize));
        if (perThread && http instanceof PlainClient plain) {
          System.out.printf(
              "  response head after %.2f ms%n", plain.gateway().lastHeadNanos() / 1e6);
        }
        get = get == null || g.seconds() < get.seconds() ? g : get;
      }
      print(
          "gateway GET (best of " + runs.get() + ")",
          getSize,
          get,
          "blockstore read",
          getSize,
          read,
          0.8);

      double rps = blockStat(api, statCid, clients, seconds);
      System.out.printf(
          "%-28s %10.0f req/s   (%d concurrent clients, %d s, keep-alive)%n",
          "block/stat of a present CID", rps, clients, seconds);
    } finally {
      daemon.stop();
    }
  }

  private static Cid importInProcess(Repo repo, ImportOptions options, Path file)
      throws IOException {
    try (BlockLeases.Lease lease = repo.leases().open()) {
      ImportedEntry root = new UnixfsImporter(lease.guard(repo.blocks()), options).importPath(file);
      repo.pins().pinImported(root.cid(), "");
      return root.cid();
    }
  }

  private static void print(
      String what, long bytes, Timed t, String anchor, long anchorBytes, Timed a, double goal) {
    double rate = bytes / MB / t.seconds();
    double anchorRate = anchorBytes / MB / a.seconds();
    // The client shares the JVM and the two cores; its own CPU (the plain client runs on the
    // calling thread; --client jdk does not, so there it reads near zero) is printed apart, and the
    // CPU
    // ratio without it says what the server's HTTP path costs over the anchor.
    double server = t.cpuSeconds() - t.callerCpuSeconds();
    System.out.printf(
        "%-28s %8.0f MB/s (%5.2f CPU s, client %.2f)   %-18s %8.0f MB/s (%5.2f CPU s)   ratio %.2f"
            + " (goal >= %.2f), CPU ratio %.2f, without the client %.2f%n",
        what,
        rate,
        t.cpuSeconds(),
        t.callerCpuSeconds(),
        anchor,
        anchorRate,
        a.cpuSeconds(),
        rate / anchorRate,
        goal,
        a.cpuSeconds() / t.cpuSeconds(),
        a.cpuSeconds() / server);
  }

  /** The HTTP client the add and GET figures are measured with. */
  private interface Client {
    /** {@code add?pin=true&quieter=true} of one file; the root CID. */
    Cid add(Path file) throws Exception;

    /** A gateway GET read to its end, checked to be {@code expected} bytes. */
    void get(String path, long expected) throws Exception;
  }

  private static final String ADD = "add?pin=true&quieter=true";

  private static Cid root(int status, String body) {
    if (status != 200) {
      throw new IllegalStateException("add failed: " + status + " " + body);
    }
    String last = body.strip().lines().reduce((a, b) -> b).orElseThrow();
    return Cid.parse(new JsonObject(last).getString("Hash"));
  }

  private record PlainClient(PlainHttpClient api, PlainHttpClient gateway) implements Client {
    @Override
    public Cid add(Path file) throws IOException {
      PlainHttpClient.Response r = api.postFile("/api/v0/" + ADD, "input.bin", file);
      return root(r.status(), r.text());
    }

    @Override
    public void get(String path, long expected) throws IOException {
      long n = gateway.getDiscarding(path);
      if (n != expected) {
        throw new IllegalStateException("read " + n + " bytes, expected " + expected);
      }
    }
  }

  private record JdkClient(HttpClient http, String api, String gateway) implements Client {
    JdkClient(String api, String gateway) {
      // HTTP/1.1 as Kubo's clients speak it (no h2c upgrade attempt).
      this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), api, gateway);
    }

    @Override
    public Cid add(Path file) throws Exception {
      String boundary = "tally-bench";
      String head =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"input.bin\"\r\n"
              + "Content-Type: application/octet-stream\r\n\r\n";
      String tail = "\r\n--" + boundary + "--\r\n";
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(api + ADD))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(
                  HttpRequest.BodyPublishers.ofInputStream(
                      () -> {
                        try {
                          return new SequenceInputStream(
                              Collections.enumeration(
                                  List.of(
                                      new ByteArrayInputStream(
                                          head.getBytes(StandardCharsets.UTF_8)),
                                      Files.newInputStream(file),
                                      new ByteArrayInputStream(
                                          tail.getBytes(StandardCharsets.UTF_8)))));
                        } catch (IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      }))
              .build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return root(r.statusCode(), r.body());
    }

    @Override
    public void get(String path, long expected) throws Exception {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway + path)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        drain(in, expected);
      }
    }
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

  /**
   * Pseudo-random bytes (incompressible, not deduplicated by chunking), written through to the disk
   * before this returns: otherwise the kernel writes the 2 GiB of inputs back while the timed steps
   * run, on the same cores and disk as the store's own fsyncs.
   */
  private static void write(Path file, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(
                file,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      for (long left = size; left > 0; left -= buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            buf[i + b] = (byte) (v >>> (8 * b));
          }
        }
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
      ch.force(true);
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
