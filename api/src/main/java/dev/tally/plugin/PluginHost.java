package dev.tally.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's plugins: discovered, identified, started in parallel (each on its own thread), fed
 * every verified entry as the log grows, and stopped at shutdown. A plugin that fails is stopped
 * and stays listed with its error; nothing a plugin does stops the host.
 */
public final class PluginHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private final PluginOptions options;
  private final Watchdog watchdog;
  private final List<PluginRuntime> runtimes;
  private final List<PluginStatus> unloadable;
  private final Map<String, PluginRuntime> byName;
  private final AutoCloseable changes;
  private final LendingSource source;

  private PluginHost(
      PluginOptions options,
      Watchdog watchdog,
      List<PluginRuntime> runtimes,
      List<PluginStatus> unloadable,
      Map<String, PluginRuntime> byName,
      LendingSource source) {
    this.options = options;
    this.watchdog = watchdog;
    this.runtimes = List.copyOf(runtimes);
    this.unloadable = List.copyOf(unloadable);
    this.byName = Map.copyOf(byName);
    this.source = source;
    this.changes = source.onChange(() -> this.runtimes.forEach(PluginRuntime::wake));
  }

  /**
   * Finds and starts every plugin; returns once each runs or has failed (each bounded by the start
   * time limit). The host owns {@code source} from here on: it closes it (when closeable) at {@link
   * #close()}.
   */
  public static PluginHost start(PluginOptions options, LendingSource source) {
    Watchdog watchdog = new Watchdog();
    List<PluginRuntime> runtimes = new ArrayList<>();
    List<PluginStatus> unloadable = new ArrayList<>();
    for (PluginDiscovery.Found f : PluginDiscovery.discover(options)) {
      if (f.plugin().isPresent()) {
        runtimes.add(
            new PluginRuntime(f.plugin().get(), f.origin(), f.loader(), options, source, watchdog));
      } else {
        String error = f.error().orElseThrow();
        LOG.warn("cannot load a plugin from {}: {}", f.origin(), error);
        unloadable.add(
            new PluginStatus(
                fileName(f.origin()),
                f.origin(),
                PluginState.FAILED,
                Optional.empty(),
                Optional.of(error),
                List.of(),
                List.of()));
      }
    }
    join(runtimes.stream().map(PluginRuntime::identify).toList());
    Map<String, PluginRuntime> byName = new HashMap<>();
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (PluginRuntime r : runtimes) {
      if (r.state() != PluginState.STARTING) {
        continue;
      }
      PluginRuntime other = byName.get(r.name());
      if (other != null) {
        r.refuse(
            PluginState.FAILED,
            "another plugin named " + r.name() + " is already loaded from " + other.origin());
      } else if (options.disabled().contains(r.name())) {
        byName.put(r.name(), r);
        r.refuse(PluginState.STOPPED, "disabled in plugins/config.json (host.disabled)");
      } else {
        byName.put(r.name(), r);
        r.start();
        started.add(r.settled());
      }
    }
    join(started);
    return new PluginHost(options, watchdog, runtimes, unloadable, byName, source);
  }

  /** Every plugin found, with its state; jars that could not be loaded too. */
  public List<PluginStatus> list() {
    List<PluginStatus> out = new ArrayList<>();
    runtimes.forEach(r -> out.add(r.status()));
    out.addAll(unloadable);
    out.sort(java.util.Comparator.comparing(PluginStatus::name));
    return out;
  }

  /** The plugin serving {@code name}, else the first refused one of that name. */
  public Optional<PluginStatus> status(String name) {
    return Optional.ofNullable(byName.get(name))
        .or(() -> runtimes.stream().filter(r -> r.name().equals(name)).findFirst())
        .map(PluginRuntime::status);
  }

  Optional<PluginRuntime> runtime(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public PluginOptions options() {
    return options;
  }

  /** Stops every plugin, waiting at most the stop time limit plus the delivery limit. */
  @Override
  public void close() {
    try {
      changes.close();
    } catch (Exception e) {
      LOG.debug("cannot unsubscribe from log changes: {}", e.getMessage());
    }
    List<CompletableFuture<Void>> stops = runtimes.stream().map(PluginRuntime::stop).toList();
    long limit = options.stopTimeout().plus(options.deliveryTimeout()).toMillis() + 1000;
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .get(limit, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("some plugins did not stop within {} ms; left behind", limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("stopping plugins: {}", e.getMessage());
    }
    watchdog.close();
    if (source instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing the lending source: {}", e.getMessage());
      }
    }
  }

  private static void join(List<CompletableFuture<Void>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
  }

  private static String fileName(String origin) {
    int slash = Math.max(origin.lastIndexOf('/'), origin.lastIndexOf('\\'));
    return origin.substring(slash + 1);
  }
}
