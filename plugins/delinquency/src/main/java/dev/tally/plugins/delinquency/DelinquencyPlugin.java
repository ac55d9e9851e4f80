package dev.tally.plugins.delinquency;

import static dev.tally.plugin.spi.json.LendingJson.components;

import dev.tally.plugin.spi.PluginContext;
import dev.tally.plugin.spi.SpiVersion;
import dev.tally.plugin.spi.TallyPlugin;
import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.json.LendingJson;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serves delinquency under {@code /plugins/delinquency/}:
 *
 * <ul>
 *   <li>{@code GET /report} active loans per currency by arrears bucket and portfolio at risk
 *       (PAR30, PAR90 by default);
 *   <li>{@code GET /loans?min-days=&bucket=&limit=} overdue active loans, most days past due first;
 *   <li>{@code GET /loans/{id}} one loan's days past due and bucket.
 * </ul>
 *
 * Settings ({@code plugins.delinquency} in {@code <repo>/plugins/config.json}): {@code buckets}
 * (upper bounds, default {@code "30,60,90"}) and {@code par} (day counts, default {@code "30,90"}).
 * Days past due are the lending state's; this plugin buckets and sums them.
 */
public final class DelinquencyPlugin implements TallyPlugin {
  public static final String NAME = "delinquency";
  static final int MAX_LIMIT = 10_000;

  private Buckets buckets = Buckets.DEFAULT;
  private List<Integer> par = List.of(30, 90);
  private volatile Report report;

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
    buckets = context.config().get("buckets").map(Buckets::parse).orElse(Buckets.DEFAULT);
    par = context.config().get("par").map(DelinquencyPlugin::days).orElse(List.of(30, 90));
    context.routes().get("/report", r -> PluginResponse.json(report(context.lending()).json));
    context.routes().get("/loans", r -> overdue(report(context.lending()), r));
    context.routes().get("/loans/{id}", r -> loan(context.lending(), r));
  }

  @Override
  public void stop() {}

  private Report report(LendingSnapshot s) {
    Report r = report;
    if (r == null || !r.reflects(s)) {
      r = new Report(s, buckets, par);
      report = r;
    }
    return r;
  }

  private static List<Integer> days(String text) {
    List<Integer> out = new ArrayList<>();
    for (String s : text.split(",")) {
      try {
        out.add(Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "delinquency par must be day counts such as \"30,90\", got \"" + text + "\"");
      }
    }
    return List.copyOf(out);
  }

  private PluginResponse overdue(Report report, PluginRequest r) {
    long minDays = r.query("min-days", 1, 1, Integer.MAX_VALUE);
    int limit = (int) r.query("limit", 100, 1, MAX_LIMIT);
    Optional<String> bucket = r.query("bucket");
    if (bucket.isPresent() && !labels().contains(bucket.get())) {
      throw RouteException.badRequest(
          "unknown bucket \"" + bucket.get() + "\"; the buckets are " + labels());
    }
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", report.heads);
    w.field("businessDate", report.businessDate.toString()).name("loans").beginArray();
    int n = 0;
    for (Loan l : report.overdue) {
      if (l.daysPastDue() < minDays) {
        break;
      }
      String label = buckets.label(buckets.of(l.daysPastDue()));
      if (bucket.isPresent() && !bucket.get().equals(label)) {
        continue;
      }
      if (n++ == limit) {
        break;
      }
      entry(w.beginObject(), l, label).endObject();
    }
    return PluginResponse.json(w.endArray().endObject().toString());
  }

  private PluginResponse loan(LendingSnapshot s, PluginRequest r) {
    String id = r.pathParam("id");
    Loan l =
        s.loan(id)
            .orElseThrow(() -> RouteException.notFound("no loan " + id + " at heads " + s.heads()));
    JsonWriter w = new JsonWriter().beginObject();
    LendingJson.heads(w, "heads", s.heads());
    w.field("businessDate", s.businessDate().toString()).name("loan").beginObject();
    entry(w, l, buckets.label(buckets.of(l.daysPastDue())));
    return PluginResponse.json(w.endObject().endObject().toString());
  }

  private static JsonWriter entry(JsonWriter w, Loan l, String bucket) {
    w.field("id", l.id())
        .field("status", l.status().name().toLowerCase(java.util.Locale.ROOT))
        .field("currency", l.currency())
        .field("daysPastDue", l.daysPastDue())
        .field("bucket", bucket)
        .name("overdueSince");
    if (l.overdueSince().isPresent()) {
      w.value(l.overdueSince().get().toString());
    } else {
      w.nullValue();
    }
    return components(w, "outstanding", l.outstanding());
  }

  private List<String> labels() {
    List<String> out = new ArrayList<>();
    for (int b = 0; b < buckets.count(); b++) {
      out.add(buckets.label(b));
    }
    return out;
  }
}
