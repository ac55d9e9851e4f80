package dev.tally.plugin;

import dev.tally.plugin.spi.PluginConfig;
import dev.tally.plugin.spi.PluginContext;
import dev.tally.plugin.spi.http.HttpRoutes;
import dev.tally.plugin.spi.http.RouteHandler;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.log.EntryListener;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.Subscription;
import javax.sql.DataSource;

/** The {@link PluginContext} of one running plugin; every call goes through its runtime. */
final class HostedContext implements PluginContext, HttpRoutes {
  private final PluginRuntime runtime;
  private final System.Logger logger;

  HostedContext(PluginRuntime runtime) {
    this.runtime = runtime;
    this.logger = new PluginLogger(runtime.name());
  }

  @Override
  public String name() {
    return runtime.name();
  }

  @Override
  public LendingSnapshot lending() {
    return runtime.source().snapshot();
  }

  @Override
  public RecordQuery records() {
    return runtime.source().records();
  }

  @Override
  public Subscription subscribe(Heads from, EntryListener listener) {
    return runtime.subscribe(from, listener);
  }

  @Override
  public DataSource database() {
    return runtime.database();
  }

  @Override
  public HttpRoutes routes() {
    return this;
  }

  @Override
  public PluginConfig config() {
    return runtime.config();
  }

  @Override
  public System.Logger logger() {
    return logger;
  }

  @Override
  public void get(String path, RouteHandler handler) {
    runtime.addRoute("GET", path, handler);
  }

  @Override
  public void post(String path, RouteHandler handler) {
    runtime.addRoute("POST", path, handler);
  }
}
