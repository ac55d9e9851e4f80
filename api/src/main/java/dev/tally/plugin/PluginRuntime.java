package dev.tally.plugin;

import dev.tally.plugin.spi.PluginConfig;
import dev.tally.plugin.spi.SpiVersion;
import dev.tally.plugin.spi.TallyPlugin;
import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.http.RouteHandler;
import dev.tally.plugin.spi.log.EntryListener;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.Subscription;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.net.URLClassLoader;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's life: its own thread (identify, start, deliveries, in that order), its HTTP worker
 * pool, its subscriptions and database. Every call into the plugin is timed by the {@link
 * Watchdog}; a plugin that throws or overruns is failed: its thread is interrupted and abandoned,
 * {@code stop()} gets one bounded chance on a fresh thread, and its resources are released, while
 * the node and the other plugins go on.
 */
final class PluginRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();

  private final TallyPlugin plugin;
  private final String origin;
  private final Optional<URLClassLoader> loader;
  private final PluginOptions options;
  private final LendingSource source;
  private final Watchdog watchdog;
  private final ExecutorService thread;
  private final RouteTable routes = new RouteTable();
  private final List<EntrySubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private final Object lock = new Object();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final CompletableFuture<Void> released = new CompletableFuture<>();

  private volatile String name;
  private volatile Optional<String> spiVersion = Optional.empty();
  private volatile PluginState state = PluginState.STARTING;
  private volatile Optional<String> error = Optional.empty();
  private volatile boolean started;
  private volatile ThreadPoolExecutor http;
  private PluginDatabase database; // guarded by lock

  PluginRuntime(
      TallyPlugin plugin,
      String origin,
      Optional<URLClassLoader> loader,
      PluginOptions options,
      LendingSource source,
      Watchdog watchdog) {
    this.plugin = plugin;
    this.origin = origin;
    this.loader = loader;
    this.options = options;
    this.source = source;
    this.watchdog = watchdog;
    this.name = plugin.getClass().getName();
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> daemon(r, "tally-plugin-" + THREAD_IDS.incrementAndGet()));
  }

  String name() {
    return name;
  }

  String origin() {
    return origin;
  }

  PluginState state() {
    return state;
  }

  LendingSource source() {
    return source;
  }

  PluginConfig config() {
    return options.config(name);
  }

  /** Completes once the plugin runs or has failed (never exceptionally). */
  CompletableFuture<Void> settled() {
    return settled;
  }

  PluginStatus status() {
    return new PluginStatus(
        name,
        origin,
        state,
        spiVersion,
        error,
        routes.describe("/plugins/" + name + "/"),
        subscriptions.stream().map(EntrySubscription::position).toList());
  }

  /** Asks the plugin its name and SPI version, on its thread, within the start time limit. */
  CompletableFuture<Void> identify() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    thread.execute(
        () -> {
          Watchdog.Call c =
              watchdog.begin(
                  "name() and spiVersion()",
                  options.startTimeout(),
                  why -> {
                    fail(why);
                    done.complete(null);
                  });
          String n;
          String v;
          try {
            n = plugin.name();
            v = plugin.spiVersion();
          } catch (Throwable t) {
            if (watchdog.end(c)) {
              fail("name() or spiVersion() threw: " + PluginDiscovery.describe(t));
            }
            done.complete(null);
            return;
          }
          if (!watchdog.end(c)) {
            return;
          }
          if (n == null || !NAME.matcher(n).matches()) {
            fail(
                "plugin name \""
                    + n
                    + "\" must be lower-case letters, digits and dashes,"
                    + " starting with a letter, at most 63 characters");
          } else {
            name = n;
            Thread.currentThread().setName("tally-plugin-" + n);
            spiVersion = Optional.ofNullable(v);
            Optional<String> why =
                v == null ? Optional.of("returned no SPI version") : SpiVersion.incompatibility(v);
            why.ifPresent(w -> fail("plugin " + n + " " + w));
          }
          done.complete(null);
        });
    return done;
  }

  /** Starts the plugin on its thread; {@link #settled()} completes when it runs or failed. */
  void start() {
    HostedContext context = new HostedContext(this);
    thread.execute(
        () -> {
          if (state != PluginState.STARTING) {
            return;
          }
          Watchdog.Call c = watchdog.begin("start()", options.startTimeout(), this::fail);
          started = true;
          try {
            plugin.start(context);
          } catch (Throwable t) {
            if (watchdog.end(c)) {
              fail("start() threw: " + PluginDiscovery.describe(t));
            }
            return;
          }
          if (!watchdog.end(c)) {
            return;
          }
          ThreadPoolExecutor pool = httpPool();
          synchronized (lock) {
            if (state != PluginState.STARTING) {
              pool.shutdownNow();
              return;
            }
            http = pool;
            state = PluginState.RUNNING;
          }
          LOG.info("plugin {} started ({})", name, origin);
          settled.complete(null);
          pump();
        });
  }

  /** Marks a plugin that must not start (disabled, or a duplicate name) without starting it. */
  void refuse(PluginState as, String reason) {
    synchronized (lock) {
      state = as;
      error = Optional.of(reason);
    }
    settled.complete(null);
    thread.shutdownNow();
    release(true);
  }

  /** Fails the plugin: stops it and reports {@code reason}. Idempotent; any thread. */
  void fail(String reason) {
    synchronized (lock) {
      if (state == PluginState.FAILED || state == PluginState.STOPPED) {
        return;
      }
      state = PluginState.FAILED;
      error = Optional.of(reason);
    }
    LOG.warn("plugin {} ({}) failed and was stopped: {}", name, origin, reason);
    settled.complete(null);
    subscriptions.clear();
    // Interrupt whatever the plugin's thread is doing; if it ignores that, it is abandoned.
    thread.shutdownNow();
    daemon(
            () -> {
              if (started) {
                callStop();
              }
              release(false);
            },
            "tally-plugin-" + name + "-stopper")
        .start();
  }

  /** Stops a plugin as the node shuts down; completes once its resources are released. */
  CompletableFuture<Void> stop() {
    synchronized (lock) {
      if (state == PluginState.FAILED || state == PluginState.STOPPED) {
        return released;
      }
      state = PluginState.STOPPED;
    }
    settled.complete(null);
    subscriptions.clear();
    daemon(
            () -> {
              // Let a delivery in progress finish (the pump sees the state and returns).
              thread.shutdown();
              boolean idle = awaitQuietly(thread, options.deliveryTimeout().toMillis());
              if (!idle) {
                thread.shutdownNow();
              }
              if (started) {
                callStop();
              }
              release(idle);
            },
            "tally-plugin-" + name + "-stopper")
        .start();
    return released;
  }

  /** Completes once the plugin's resources are released after a stop or failure. */
  CompletableFuture<Void> released() {
    return released;
  }

  private void callStop() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    daemon(
            () -> {
              try {
                plugin.stop();
                f.complete(null);
              } catch (Throwable t) {
                f.completeExceptionally(t);
              }
            },
            "tally-plugin-" + name + "-stop")
        .start();
    try {
      f.get(options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "plugin {}: stop() did not return within {} ms; abandoned",
          name,
          options.stopTimeout().toMillis());
    } catch (ExecutionException e) {
      LOG.warn("plugin {}: stop() threw: {}", name, PluginDiscovery.describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void release(boolean closeLoader) {
    ThreadPoolExecutor pool = http;
    if (pool != null) {
      pool.shutdownNow();
    }
    synchronized (lock) {
      if (database != null) {
        database.close();
        database = null;
      }
    }
    // A loader whose plugin may still be running on an abandoned thread stays open.
    if (closeLoader) {
      loader.ifPresent(PluginDiscovery::close);
    }
    released.complete(null);
  }

  DataSource database() {
    synchronized (lock) {
      if (state == PluginState.FAILED || state == PluginState.STOPPED) {
        throw new IllegalStateException("plugin " + name + " is stopped; its database is closed");
      }
      if (database == null) {
        database = new PluginDatabase(name, options.dataDir());
      }
      return database.dataSource();
    }
  }

  void addRoute(String method, String path, RouteHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (state != PluginState.STARTING) {
      throw new IllegalStateException("plugin " + name + ": routes can only be added in start()");
    }
    routes.add(method, path, handler);
  }

  RouteTable routes() {
    return routes;
  }

  Subscription subscribe(Heads from, EntryListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (state == PluginState.FAILED || state == PluginState.STOPPED) {
      throw new IllegalStateException("plugin " + name + " is stopped");
    }
    EntrySubscription[] self = new EntrySubscription[1];
    self[0] = new EntrySubscription(from, listener, () -> subscriptions.remove(self[0]));
    subscriptions.add(self[0]);
    wake();
    return self[0];
  }

  /** New entries may be there: schedule one delivery pass on the plugin's thread. */
  void wake() {
    if (state != PluginState.RUNNING || !pumpQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(this::pump);
    } catch (RejectedExecutionException e) {
      // Stopping: nothing more to deliver.
    }
  }

  /** Delivers every entry each subscription has not seen yet. Runs on the plugin's thread. */
  private void pump() {
    pumpQueued.set(false);
    for (EntrySubscription s : subscriptions) {
      if (state != PluginState.RUNNING) {
        return;
      }
      if (!deliverAll(s)) {
        return;
      }
    }
  }

  private boolean deliverAll(EntrySubscription s) {
    try (Stream<VerifiedEntry> entries = source.entriesAfter(s.position())) {
      Iterator<VerifiedEntry> it = entries.iterator();
      while (it.hasNext()) {
        VerifiedEntry e = it.next();
        if (!s.isOpen()) {
          return true;
        }
        if (state != PluginState.RUNNING) {
          return false;
        }
        Heads after = s.after(e);
        Watchdog.Call c =
            watchdog.begin("onEntry(" + e.cid() + ")", options.deliveryTimeout(), this::fail);
        try {
          s.listener().onEntry(e, after);
        } catch (Throwable t) {
          if (watchdog.end(c)) {
            fail("onEntry(" + e.cid() + ") threw: " + PluginDiscovery.describe(t));
          }
          return false;
        }
        if (!watchdog.end(c)) {
          return false;
        }
        s.delivered(e, after);
      }
      return true;
    } catch (RuntimeException e) {
      fail("cannot deliver entries from " + s.position() + ": " + PluginDiscovery.describe(e));
      return false;
    }
  }

  /**
   * Runs a route handler on the plugin's HTTP pool within the request time limit; an overrun
   * answers 504 and fails the plugin.
   */
  CompletableFuture<PluginResponse> handle(RouteHandler handler, PluginRequest request) {
    CompletableFuture<PluginResponse> f = new CompletableFuture<>();
    ThreadPoolExecutor pool = http;
    if (state != PluginState.RUNNING || pool == null) {
      f.completeExceptionally(new RouteException(503, "plugin " + name + " is " + state));
      return f;
    }
    String what = request.method() + " /plugins/" + name + request.path();
    try {
      pool.execute(
          () -> {
            Watchdog.Call c =
                watchdog.begin(
                    what,
                    options.requestTimeout(),
                    why -> {
                      f.completeExceptionally(new RouteException(504, why));
                      fail(why);
                    });
            try {
              PluginResponse r = handler.handle(request);
              if (watchdog.end(c)) {
                f.complete(Objects.requireNonNull(r, "the route handler returned null"));
              }
            } catch (Throwable t) {
              if (watchdog.end(c)) {
                f.completeExceptionally(t);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(
          new RouteException(
              503, "plugin " + name + " is busy (" + options.httpQueue() + " requests queued)"));
    }
    return f;
  }

  private ThreadPoolExecutor httpPool() {
    AtomicInteger ids = new AtomicInteger();
    return new ThreadPoolExecutor(
        options.httpThreads(),
        options.httpThreads(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(1, options.httpQueue())),
        r -> daemon(r, "tally-plugin-" + name + "-http-" + ids.incrementAndGet()));
  }

  private static boolean awaitQuietly(ExecutorService e, long millis) {
    try {
      return e.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
