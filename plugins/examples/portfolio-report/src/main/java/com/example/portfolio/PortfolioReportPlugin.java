package com.example.portfolio;

import dev.tally.plugin.spi.PluginContext;
import dev.tally.plugin.spi.SpiVersion;
import dev.tally.plugin.spi.TallyPlugin;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.log.Subscription;
import java.sql.SQLException;

/**
 * The portfolio report: {@code GET /plugins/portfolio-report/summary} (loans, outstanding principal
 * and weighted average rate per currency, from the lending state) and {@code GET
 * /plugins/portfolio-report/activity} (how many records of each kind the log holds, counted by
 * following the log into this plugin's own table, resumed from its checkpoint after a restart).
 */
public final class PortfolioReportPlugin implements TallyPlugin {
  private Subscription subscription;

  @Override
  public String name() {
    return "portfolio-report";
  }

  @Override
  public String spiVersion() {
    // A compile-time constant: the compiler copies "1.0" into this class, so the node learns
    // which SPI this plugin was built against.
    return SpiVersion.CURRENT;
  }

  @Override
  public void start(PluginContext context) throws SQLException {
    ActivityStore store = new ActivityStore(context.database());
    store.createTables();
    subscription = context.subscribe(store.checkpoint(), store::count);
    context.routes().get("/summary", r -> PluginResponse.json(Summary.of(context.lending())));
    context.routes().get("/activity", r -> PluginResponse.json(store.json()));
    context
        .logger()
        .log(System.Logger.Level.INFO, "following the log from {0}", store.checkpoint());
  }

  @Override
  public void stop() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
