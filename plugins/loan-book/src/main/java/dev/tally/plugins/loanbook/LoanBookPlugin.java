package dev.tally.plugins.loanbook;

import dev.tally.plugin.spi.PluginContext;
import dev.tally.plugin.spi.SpiVersion;
import dev.tally.plugin.spi.TallyPlugin;
import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;

/**
 * Serves the loan book under {@code /plugins/loan-book/}:
 *
 * <ul>
 *   <li>{@code GET /loans?status=&currency=&borrower=&lender=&after=&limit=} loan summaries in id
 *       order, a page at a time;
 *   <li>{@code GET /loans/{id}} one loan with its schedule, parts and flagged records;
 *   <li>{@code GET /loans/{id}/schedule} its schedule alone;
 *   <li>{@code GET /totals} counts and sums per currency.
 * </ul>
 *
 * Every answer names the heads and business date its figures reflect. All figures are the node's
 * lending state's; this plugin selects, pages and shapes them.
 */
public final class LoanBookPlugin implements TallyPlugin {
  public static final String NAME = "loan-book";

  private final Totals totals = new Totals();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String spiVersion() {
    return SpiVersion.CURRENT;
  }

  @Override
  public void start(PluginContext context) {
    context.routes().get("/loans", r -> list(context.lending(), r));
    context.routes().get("/loans/{id}", r -> loan(context.lending(), r, true));
    context.routes().get("/loans/{id}/schedule", r -> loan(context.lending(), r, false));
    context.routes().get("/totals", r -> PluginResponse.json(totals.json(context.lending())));
  }

  @Override
  public void stop() {}

  private static PluginResponse list(LendingSnapshot s, PluginRequest r) {
    LoanQuery q = LoanQuery.of(r);
    JsonWriter w = LoanJson.begin(s);
    w.name("loans").beginArray();
    Page page = q.page(s);
    for (Loan l : page.loans()) {
      LoanJson.summary(w.beginObject(), l).endObject();
    }
    w.endArray();
    if (page.next().isPresent()) {
      w.field("next", page.next().get());
    } else {
      w.name("next").nullValue();
    }
    return PluginResponse.json(w.endObject().toString());
  }

  private static PluginResponse loan(LendingSnapshot s, PluginRequest r, boolean whole) {
    String id = r.pathParam("id");
    Loan l =
        s.loan(id)
            .orElseThrow(() -> RouteException.notFound("no loan " + id + " at heads " + s.heads()));
    JsonWriter w = LoanJson.begin(s);
    if (whole) {
      w.name("loan").beginObject();
      LoanJson.detail(w, l);
      w.endObject();
    } else {
      w.field("loan", l.id());
      LoanJson.schedule(w, l);
    }
    return PluginResponse.json(w.endObject().toString());
  }
}
